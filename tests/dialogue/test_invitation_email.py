"""Invitation emails: built (not sent) in the meeting's language, text and HTML, with the
meeting attached as iCalendar."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from commissioning.errors import RuleViolation
from commissioning.models import Programme
from dialogue.emails import invitation_email, invitation_language
from dialogue.models import Meeting
from tests.dialogue.factories import AgendaItemFactory, ArenaFactory, MeetingFactory
from tests.factories import PersonFactory, ProgrammeFactory, PurchaserFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def person(db):
    return PersonFactory(
        username="anna", email="anna@clinic.example", first_name="Anna", last_name="Berg"
    )


def programme_meeting(language: str, **extra):
    programme = ProgrammeFactory(language=language, name="Vårdval <primärvård>")
    return MeetingFactory(
        arena=None,
        programme=programme,
        title="Dialogue on the rulebook",
        starts_at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=STOCKHOLM),
        ends_at=datetime.datetime(2026, 12, 3, 11, 0, tzinfo=STOCKHOLM),
        **extra,
    )


def attachment_calendar(message) -> tuple[Calendar, str]:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename == "invitation.ics"
    return Calendar.from_ical(content), mimetype


def test_language_is_the_programme_language(db):
    assert invitation_language(programme_meeting(Programme.Language.NB)) == "nb"


@pytest.mark.parametrize(("country", "language"), [("SE", "sv"), ("NO", "nb"), ("GB", "en")])
def test_arena_meeting_language_follows_the_purchaser_country(db, country, language):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=PurchaserFactory(country=country)))
    assert invitation_language(meeting) == language


def test_arena_meeting_of_another_country_falls_back_to_the_site_language(db, settings):
    settings.LANGUAGE_CODE = "en"
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=PurchaserFactory(country="DK")))
    assert invitation_language(meeting) == "en"


def test_invitation_has_text_html_and_the_ics_request(person, settings):
    settings.DEFAULT_FROM_EMAIL = "dialogue@region.example"
    meeting = programme_meeting(Programme.Language.EN, place="Town hall")
    AgendaItemFactory(meeting=meeting, position=1, title="Rulebook 4.2", planned_minutes=45)
    message = invitation_email(meeting=meeting, person=person, url="https://x.example/m/1")

    assert message.to == ["Anna Berg <anna@clinic.example>"]
    assert message.from_email == f"{meeting.purchaser.name} <dialogue@region.example>"
    assert message.subject == "Invitation: Dialogue on the rulebook"
    assert message.extra_headers["Content-Language"] == "en"
    assert "Hello Anna Berg," in message.body
    assert "Thursday 3 December 2026, 09:00–11:00 (Europe/Stockholm)" in message.body
    assert "Town hall" in message.body
    assert "1. Rulebook 4.2 (Dialogue, 45 minutes)" in message.body
    assert "https://x.example/m/1" in message.body
    # Plain text is not HTML-escaped; the HTML part is.
    assert "Vårdval <primärvård>" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Vårdval &lt;primärvård&gt;" in html
    assert '<html lang="en">' in html

    calendar, mimetype = attachment_calendar(message)
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(event["URL"]) == "https://x.example/m/1"
    # The message renders as a whole (what the backend would send).
    assert b"BEGIN:VCALENDAR" in message.message().as_bytes()


def test_invitation_in_swedish_formats_the_date_in_swedish(person):
    message = invitation_email(meeting=programme_meeting(Programme.Language.SV), person=person)
    assert message.extra_headers["Content-Language"] == "sv"
    assert "torsdag 3 december 2026, 09:00–11:00" in message.body
    ((html, _mimetype),) = message.alternatives
    assert '<html lang="sv">' in html


def test_invitation_in_norwegian_formats_the_date_in_norwegian(person):
    message = invitation_email(meeting=programme_meeting(Programme.Language.NB), person=person)
    assert message.extra_headers["Content-Language"] == "nb"
    assert "torsdag 3 desember 2026" in message.body


def test_cancelled_meeting_attaches_a_cancel(person):
    meeting = programme_meeting(Programme.Language.EN, status=Meeting.Status.CANCELLED)
    calendar, mimetype = attachment_calendar(invitation_email(meeting=meeting, person=person))
    assert mimetype.startswith("text/calendar; method=CANCEL")
    assert calendar["METHOD"] == "CANCEL"


def test_person_without_an_email_address_is_refused(db):
    person = PersonFactory(username="no-mail", email="")
    with pytest.raises(RuleViolation) as refused:
        invitation_email(meeting=programme_meeting(Programme.Language.EN), person=person)
    assert refused.value.code == "no_email_address"
