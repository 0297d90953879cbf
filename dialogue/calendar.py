"""Meetings as iCalendar (RFC 5545), built with the icalendar library: one meeting as an
invitation (METHOD:REQUEST, or METHOD:CANCEL once cancelled), and a person's feed of every
meeting they are invited to. Pure building of the files: which meetings a person sees is in
dialogue/selectors/calendar.py, the personal feed address in dialogue/services/calendar.py.

Calendar clients match an update to the event they already hold by UID and apply it only if
its SEQUENCE is higher, so the UID never changes (it is the meeting's uuid at a constant
domain, not the host name, which differs between installations and over time) and SEQUENCE
is the meeting's own counter, which the meeting services increase on every change.
"""

import datetime
import zoneinfo
from collections.abc import Collection, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from commissioning import mail
from dialogue.models import Meeting

PRODID = "-//Commissioning dialogue//Meetings//EN"
# A constant, not the host: the UID must stay the same when the installation moves.
UID_DOMAIN = "commissioning-dialogue"
CANCELLED = {Meeting.Status.CANCELLED}
# VTIMEZONE data is written for this margin around the meetings in the file (the library's
# default, 1970–2038, makes every file several kilobytes longer for nothing).
TIME_ZONE_MARGIN = datetime.timedelta(days=366)


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _organizer(meeting: Meeting) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{mail.product_address()}")
    organizer.params["CN"] = vText(meeting.purchaser.name)
    return organizer


def _attendees(meeting: Meeting, shown_people: Collection[int]) -> list[vCalAddress]:
    """The invited people who have an email address (an invitation of a whole organisation
    has no address to send to) and whose address the reader may see (`shown_people`, ids:
    dialogue.selectors.calendar.addresses_shown); the prefetched invitations are used when
    present."""
    seen, attendees = set(), []
    for invitation in meeting.invitations.all():
        person = invitation.person
        if person is None or not person.email or person.email.lower() in seen:
            continue
        if person.pk not in shown_people:
            continue
        seen.add(person.email.lower())
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = vText(person.get_full_name() or person.get_username())
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendees.append(attendee)
    return attendees


def _description(meeting: Meeting, url: str | None) -> str:
    lines = []
    if meeting.arena_id:
        lines.append(_("Arena: %(name)s") % {"name": meeting.arena.name})
    if meeting.programme_id:
        lines.append(_("Programme: %(name)s") % {"name": meeting.programme.name})
    if meeting.place and meeting.video_link:
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if meeting.status in CANCELLED and meeting.cancellation_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancellation_reason})
    if url:
        lines.append(url)
    return "\n".join(lines)


def meeting_event(
    meeting: Meeting, *, shown_people: Collection[int], url: str | None = None
) -> Event:
    """The VEVENT of a meeting, its times in the meeting's own time zone (with TZID)."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.video_link
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    description = _description(meeting, url)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status in CANCELLED else "CONFIRMED")
    event.add("organizer", _organizer(meeting))
    for attendee in _attendees(meeting, shown_people):
        event.add("attendee", attendee)
    return event


def _calendar(
    meetings: list[Meeting],
    *,
    method: str | None,
    urls: dict[int, str],
    shown_people: Collection[int],
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(meeting, shown_people=shown_people, url=urls.get(meeting.pk))
        )
    if meetings:
        calendar.add_missing_timezones(
            first_date=(min(m.starts_at for m in meetings) - TIME_ZONE_MARGIN).date(),
            last_date=(max(m.ends_at for m in meetings) + TIME_ZONE_MARGIN).date(),
        )
    return calendar


def method_of(meeting: Meeting) -> str:
    return "CANCEL" if meeting.status in CANCELLED else "REQUEST"


def meeting_calendar(
    meeting: Meeting,
    *,
    shown_people: Collection[int],
    url: str | None = None,
    method: str | None = None,
) -> bytes:
    """One meeting as an invitation: METHOD:REQUEST, or METHOD:CANCEL (with
    STATUS:CANCELLED) once it is cancelled, so that calendars remove it; `method` "CANCEL"
    for a meeting that goes on without the recipient (RFC 5546: removed from the invitees).
    The attendees listed are the invited people among `shown_people` (whose addresses the
    reader may see)."""
    urls = {meeting.pk: url} if url else {}
    calendar = _calendar(
        [meeting], method=method or method_of(meeting), urls=urls, shown_people=shown_people
    )
    return calendar.to_ical()


def feed_calendar(
    meetings: Iterable[Meeting], *, name: str, shown_people: Collection[int]
) -> bytes:
    """A subscribed feed: no METHOD (RFC 5546 methods are for messages, not published
    calendars); cancelled meetings stay in it as STATUS:CANCELLED so that a client that
    already holds them removes or strikes them out."""
    calendar = _calendar(list(meetings), method=None, urls={}, shown_people=shown_people)
    calendar.add("x-wr-calname", name)
    return calendar.to_ical()
