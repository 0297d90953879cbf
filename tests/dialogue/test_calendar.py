"""Meetings as iCalendar, parsed back with the icalendar library; the personal feed."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from commissioning.models import Event, Membership
from dialogue.calendar import UID_DOMAIN, meeting_calendar
from dialogue.models import CalendarFeed, Meeting
from dialogue.services.meetings import cancel_meeting, update_meeting
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.factories import MembershipFactory, PersonFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def meeting(world):
    arena = ArenaFactory(purchaser=world.purchaser_a, name="Provider council A")
    meeting = MeetingFactory(
        arena=arena,
        title="Provider council, December",
        starts_at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=STOCKHOLM),
        ends_at=datetime.datetime(2026, 12, 3, 11, 30, tzinfo=STOCKHOLM),
        place="Regionens hus, sal 3",
    )
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a)
    InvitationFactory(
        meeting=meeting, organisation=world.provider_in_a, person=world.people["provider_in_a"]
    )
    return meeting


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def only_event(calendar: Calendar):
    (event,) = calendar.events
    return event


def test_meeting_calendar_is_a_request_with_uid_times_in_its_zone_and_a_vtimezone(meeting):
    calendar = parse(meeting_calendar(meeting))
    event = only_event(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert str(event["UID"]) == f"{meeting.uid}@{UID_DOMAIN}"
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.start == datetime.datetime(2026, 12, 3, 9, 0, tzinfo=STOCKHOLM)
    assert event.end == datetime.datetime(2026, 12, 3, 11, 30, tzinfo=STOCKHOLM)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]
    assert calendar.get_missing_tzids() == set()
    assert event["DTSTAMP"]
    assert str(event["SUMMARY"]) == "Provider council, December"
    assert str(event["LOCATION"]) == "Regionens hus, sal 3"
    assert event["STATUS"] == "CONFIRMED"


def test_meeting_in_another_zone_keeps_its_own_tzid(meeting):
    meeting.time_zone = "Europe/London"
    calendar = parse(meeting_calendar(meeting))
    event = only_event(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.start.hour == 8  # 09:00 in Stockholm is 08:00 in London in December
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]


def test_organizer_is_the_purchaser_and_attendees_are_the_invited_people(meeting, settings):
    settings.DEFAULT_FROM_EMAIL = "Dialogue <dialogue@example.org>"
    event = only_event(parse(meeting_calendar(meeting)))
    assert str(event["ORGANIZER"]) == "mailto:dialogue@example.org"
    assert event["ORGANIZER"].params["CN"] == "Region A"
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    # The organisation-only invitation has no address; the named person has one.
    assert [str(a) for a in attendees] == ["mailto:provider_in_a@example.org"]


def test_video_link_is_the_location_when_there_is_no_place(meeting):
    meeting.place = ""
    meeting.video_link = "https://meet.example.org/council"
    event = only_event(parse(meeting_calendar(meeting)))
    assert str(event["LOCATION"]) == "https://meet.example.org/council"


def test_uid_is_stable_and_sequence_grows_across_changes(meeting):
    first = only_event(parse(meeting_calendar(meeting)))
    # What the meeting services do on every change: move it and count the change.
    meeting.starts_at += datetime.timedelta(hours=1)
    meeting.ends_at += datetime.timedelta(hours=1)
    meeting.sequence += 1
    meeting.save()
    meeting.refresh_from_db()
    second = only_event(parse(meeting_calendar(meeting)))
    assert str(second["UID"]) == str(first["UID"])
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second.start - first.start == datetime.timedelta(hours=1)


def test_cancelled_meeting_is_sent_as_cancel_with_status_cancelled(meeting):
    uid = str(only_event(parse(meeting_calendar(meeting)))["UID"])
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = "Too few could come."
    meeting.sequence += 1
    meeting.save()
    calendar = parse(meeting_calendar(meeting))
    event = only_event(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 1
    assert "Too few could come." in str(event["DESCRIPTION"])


# --- /meetings/{id}/ics/ ----------------------------------------------------------------


def test_meeting_ics_endpoint_answers_an_attachment(client_for, meeting):
    response = client_for("provider_in_a").get(f"/api/v1/meetings/{meeting.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    event = only_event(parse(response.content))
    assert str(event["URL"]).endswith(f"/api/v1/meetings/{meeting.pk}/")


def test_meeting_ics_endpoint_serves_a_client_that_asks_for_text_calendar(client_for, meeting):
    response = client_for("manager_a").get(
        f"/api/v1/meetings/{meeting.pk}/ics/", HTTP_ACCEPT="text/calendar"
    )
    assert response.status_code == 200
    assert only_event(parse(response.content))


def test_meeting_ics_of_an_invisible_meeting_is_404(client_for, meeting):
    response = client_for("provider_outside").get(f"/api/v1/meetings/{meeting.pk}/ics/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- the personal feed ------------------------------------------------------------------


def feed_path(client) -> str:
    url = client.get("/api/v1/calendar/feed/").json()["url"]
    return url.removeprefix("http://testserver")


def test_my_feed_is_created_on_first_read_and_stays_the_same(client_for, world):
    client = client_for("provider_in_a")
    first = client.get("/api/v1/calendar/feed/")
    assert first.status_code == 200
    assert first.json()["url"].startswith("http://testserver/api/v1/calendar/")
    assert first.json()["url"].endswith(".ics")
    assert client.get("/api/v1/calendar/feed/").json()["url"] == first.json()["url"]
    assert CalendarFeed.objects.filter(person=world.people["provider_in_a"]).count() == 1


def test_feed_lists_meetings_invited_to_by_name_or_organisation_including_cancelled(
    api, client_for, world, meeting
):
    by_organisation = MeetingFactory(arena=meeting.arena, title="Invited as an organisation")
    InvitationFactory(meeting=by_organisation, organisation=world.provider_in_a)
    cancelled = MeetingFactory(
        arena=meeting.arena, title="Called off", status=Meeting.Status.CANCELLED, sequence=2
    )
    InvitationFactory(meeting=cancelled, organisation=world.provider_in_a)
    not_invited = MeetingFactory(arena=meeting.arena, title="Not for them")
    InvitationFactory(meeting=not_invited, organisation=world.provider_outside)

    response = api.get(feed_path(client_for("provider_in_a")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert "METHOD" not in calendar
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.events}
    assert statuses == {
        "Provider council, December": "CONFIRMED",
        "Invited as an organisation": "CONFIRMED",
        "Called off": "CANCELLED",
    }
    assert calendar.get_missing_tzids() == set()


def test_feed_of_a_person_invited_by_name_only(api, world, meeting):
    guest = PersonFactory(username="guest", email="guest@example.org")
    MembershipFactory(
        person=guest,
        organisation=world.provider_outside,
        role=Membership.Role.PROVIDER_REPRESENTATIVE,
    )
    InvitationFactory(meeting=meeting, organisation=world.provider_outside, person=guest)
    feed = CalendarFeed.objects.create(person=guest)
    calendar = parse(api.get(f"/api/v1/calendar/{feed.token}.ics").content)
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Provider council, December"]


def test_resetting_the_feed_gives_a_new_address_and_the_old_one_answers_404(
    api, client_for, world, meeting
):
    client = client_for("provider_in_a")
    old = feed_path(client)
    assert api.get(old).status_code == 200
    response = client.post("/api/v1/calendar/feed/", {}, format="json")
    assert response.status_code == 200
    new = response.json()["url"].removeprefix("http://testserver")
    assert new != old
    assert response.json()["reset_at"] is not None
    assert api.get(old).status_code == 404
    assert api.get(new).status_code == 200
    event = Event.objects.get(verb="calendar_feed.reset")
    assert event.actor == world.people["provider_in_a"]
    assert event.purchaser is None
    # The token is a credential: the audit trail does not keep it.
    assert old.split("/")[-1].removesuffix(".ics") not in str(event.before)


def test_reset_refuses_unknown_fields(client_for, world):
    response = client_for("provider_in_a").post(
        "/api/v1/calendar/feed/", {"token": "mine"}, format="json"
    )
    assert response.status_code == 400
    assert "token" in response.json()["error"]["fields"]
    assert not Event.objects.filter(verb="calendar_feed.reset").exists()


def test_unknown_feed_token_is_404(api, world):
    response = api.get("/api/v1/calendar/" + "x" * 43 + ".ics")
    assert response.status_code == 404


def test_feed_of_a_deactivated_person_is_404(api, world):
    person = world.people["provider_in_a"]
    feed = CalendarFeed.objects.create(person=person)
    person.is_active = False
    person.save()
    assert api.get(f"/api/v1/calendar/{feed.token}.ics").status_code == 404


def test_feed_drops_meetings_once_the_membership_is_gone(api, world, meeting):
    """Invited by name as provider_in_a's representative: once the person no longer belongs
    to provider_in_a, the named invitation gives them nothing (issue 16, "Leaving"); with no
    membership left at all, the feed answers 404, as a reset address does."""
    person = world.people["provider_in_a"]
    MembershipFactory(
        person=person,
        organisation=world.provider_outside,
        role=Membership.Role.PROVIDER_REPRESENTATIVE,
    )
    feed = CalendarFeed.objects.create(person=person)
    Membership.objects.filter(person=person, organisation=world.provider_in_a).delete()
    calendar = parse(api.get(f"/api/v1/calendar/{feed.token}.ics").content)
    assert calendar.events == []
    Membership.objects.filter(person=person).delete()
    assert api.get(f"/api/v1/calendar/{feed.token}.ics").status_code == 404


def test_calendar_follows_the_meeting_services_from_change_to_cancel(client_for, world, meeting):
    """End to end with the meeting services: each change is a higher SEQUENCE under the same
    UID, and the cancellation a METHOD:CANCEL, as served to an invited provider."""
    client = client_for("provider_in_a")
    path = f"/api/v1/meetings/{meeting.pk}/ics/"
    first = only_event(parse(client.get(path).content))
    update_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        meeting=meeting,
        place="Regionens hus, sal 5",
    )
    moved = only_event(parse(client.get(path).content))
    cancel_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        meeting=meeting,
        reason="The chair is ill.",
    )
    calendar = parse(client.get(path).content)
    cancelled = only_event(calendar)
    assert str(first["UID"]) == str(moved["UID"]) == str(cancelled["UID"])
    assert first["SEQUENCE"] < moved["SEQUENCE"] < cancelled["SEQUENCE"]
    assert str(moved["LOCATION"]) == "Regionens hus, sal 5"
    assert calendar["METHOD"] == "CANCEL"
    assert cancelled["STATUS"] == "CANCELLED"
