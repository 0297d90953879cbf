"""The notifications' mechanism, through its first occasion (approved minutes): one notice
per person and occasion, one email each with the one-click unsubscribe, the person's choice
of delivery, the quiet rules (back-filled meetings, one email per subject a day), and the
unsubscribe page."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from commissioning.models import Event, Profile
from dialogue.models import Meeting
from dialogue.services.meetings import approve_minutes
from dialogue.services.record import write_minutes
from notifications import unsubscribe
from notifications.kinds import Delivery
from notifications.models import Notice, Preference
from notifications.services import delivery
from notifications.services.preferences import set_delivery
from tests.dialogue.meeting_factories import (
    AttendanceEntryFactory,
    AttendanceRevisionFactory,
    meeting_in_a,
)
from workers import relay
from workers.models import TrustPulse

PRESENT = "present"


def held_meeting(world, *, days_ago=3, logged_days_ago=None):
    meeting = meeting_in_a(world, held=True)
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        created_at=timezone.now() - datetime.timedelta(days=logged_days_ago or 0),
    )
    meeting.refresh_from_db()
    revision = AttendanceRevisionFactory(meeting=meeting, number=1)
    AttendanceEntryFactory(revision=revision, organisation=world.provider_in_a, status=PRESENT)
    AttendanceEntryFactory(
        revision=revision,
        organisation=world.purchaser_a,
        person=world.people["officer_a"],
        status=PRESENT,
    )
    return meeting


def approve(world, meeting, capture):
    manager = world.people["manager_a"]
    with capture(execute=True):
        write_minutes(
            actor=manager, acting_for=world.purchaser_a, meeting=meeting, text="We agreed."
        )
        approve_minutes(actor=manager, acting_for=world.purchaser_a, meeting=meeting)


def notices_emailed() -> list:
    """The notification emails sent (trust pulses go out beside them)."""
    return [m for m in mail.outbox if "X-Notification-Kind" in m.extra_headers]


def addressees() -> list[str]:
    return sorted(m.to[0].split("<")[1].rstrip(">") for m in notices_emailed())


def test_approved_minutes_tell_everyone_present_once_by_email_and_in_their_list(
    world,
    django_capture_on_commit_callbacks,
):
    meeting = held_meeting(world)
    Profile.objects.update_or_create(
        person=world.people["provider_in_a"], defaults={"language": "sv"}
    )
    approve(world, meeting, django_capture_on_commit_callbacks)

    assert addressees() == ["officer_a@example.org", "provider_in_a@example.org"]
    notices = {n.person.username: n for n in Notice.objects.select_related("person")}
    assert set(notices) == {"officer_a", "provider_in_a"}
    assert all(n.emailed_at is not None and n.read_at is None for n in notices.values())
    assert notices["provider_in_a"].title == f"Protokoll godkänt: {meeting.title}"
    assert notices["provider_in_a"].url == f"/meetings/{meeting.pk}/"

    swedish = next(m for m in notices_emailed() if "provider_in_a" in m.to[0])
    assert swedish.extra_headers["Content-Language"] == "sv"
    assert swedish.subject == f"Protokoll godkänt: {meeting.title}"
    assert swedish.from_email.startswith(
        f'"{meeting.purchaser.name}"'
    ) or swedish.from_email.startswith(meeting.purchaser.name)
    link = swedish.extra_headers["List-Unsubscribe"].strip("<>")
    assert swedish.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in swedish.body
    assert link in swedish.alternatives[0][0]
    assert f"/meetings/{meeting.pk}/" in swedish.body

    # The relay run again, and the sweep: nothing more.
    for event in Event.objects.filter(verb="meeting.minutes_approved"):
        Event.objects.filter(pk=event.pk).update(relayed_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            relay.relay_event_now(event.pk)
    assert delivery.deliver_now(list(Notice.objects.values_list("pk", flat=True))) == 0
    assert len(notices_emailed()) == 2
    assert Notice.objects.count() == 2


def test_a_person_on_the_digest_or_off_gets_the_notice_without_an_email(
    world, django_capture_on_commit_callbacks
):
    set_delivery(person=world.people["officer_a"], kind="minutes_approved", delivery="digest")
    set_delivery(person=world.people["provider_in_a"], kind="minutes_approved", delivery="off")
    approve(world, held_meeting(world), django_capture_on_commit_callbacks)
    assert notices_emailed() == []
    assert dict(Notice.objects.values_list("person__username", "delivery")) == {
        "officer_a": "digest",
        "provider_in_a": "off",
    }


def test_a_back_filled_meeting_sends_no_minutes_notice_and_asks_no_pulse(
    world, django_capture_on_commit_callbacks, settings
):
    settings.BACKFILL_QUIET_DAYS = 14
    meeting = held_meeting(world, days_ago=60, logged_days_ago=0)
    assert meeting.logged_late
    approve(world, meeting, django_capture_on_commit_callbacks)
    assert Notice.objects.count() == 0
    assert TrustPulse.objects.count() == 0
    assert mail.outbox == []
    # A week-late log is not back-filling.
    assert not held_meeting(world, days_ago=8, logged_days_ago=0).logged_late


def test_a_second_email_of_a_kind_about_one_subject_within_a_day_goes_to_the_digest(
    world, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world)
    approve(world, meeting, django_capture_on_commit_callbacks)
    first = Notice.objects.get(person=world.people["officer_a"])
    second = Notice.objects.create(
        person=first.person,
        organisation=first.organisation,
        kind=first.kind,
        key="minutes-approved-again:1",
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=str(meeting.pk),
        title=first.title,
        language="en",
        delivery=Delivery.IMMEDIATELY,
    )
    assert delivery.deliver_now([second.pk]) == 0
    second.refresh_from_db()
    assert second.delivery == Delivery.DIGEST
    assert second.emailed_at is None
    assert len(notices_emailed()) == 2


def test_the_unsubscribe_link_turns_off_that_kind_only_with_one_post(world, client):
    person = world.people["provider_in_a"]
    url = unsubscribe.unsubscribe_url(person.pk, "minutes_approved")
    path = url.removeprefix("http://localhost:8000")
    page = client.get(path)
    # In the person's language (provider_in_a's organisation is Swedish).
    assert page.status_code == 200
    assert "Stoppa de här mejlen" in page.content.decode()
    assert not Preference.objects.exists()  # looking changes nothing

    # RFC 8058: the mail client's POST, no cookie, no CSRF token.
    answer = client.post(path, {"List-Unsubscribe": "One-Click"}, enforce_csrf_checks=True)
    assert answer.status_code == 200
    assert Preference.objects.get(person=person, kind="minutes_approved").delivery == "off"
    assert Preference.objects.count() == 1
    assert Event.objects.filter(verb="notification_preference.changed").count() == 1


def test_an_altered_unsubscribe_link_answers_404_and_a_required_kind_stays_on(world, client):
    person = world.people["provider_in_a"]
    path = unsubscribe.unsubscribe_url(person.pk, "meeting_cancelled").removeprefix(
        "http://localhost:8000"
    )
    assert client.get(path[:-3] + "xx/").status_code == 404
    answer = client.post(path)
    assert answer.status_code == 200
    assert "skickas alltid" in answer.content.decode()
    assert not Preference.objects.exists()
