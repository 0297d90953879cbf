"""Trust pulses are made for the people who took part in a held meeting or a closed
consultation, once per person, and each invitation is sent once."""

import datetime
import re
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone
from kombu import pools

from commissioning.models import Event, Membership, Profile
from config.celery import app
from dialogue.models import Consultation, Meeting
from dialogue.services.log import log_meeting
from dialogue.services.meetings import mark_meeting_held
from dialogue.services.record import record_attendance
from tests.dialogue.consultation_factories import (
    CommentFactory,
    ConsultationFactory,
    CoSignatureFactory,
)
from tests.dialogue.meeting_factories import (
    AttendanceEntryFactory,
    AttendanceRevisionFactory,
    HeldMeetingFactory,
    meeting_in_a,
)
from tests.dialogue.response_factories import ResponseFactory
from tests.factories import MembershipFactory, PersonFactory
from tests.workers import conftest as worker_fixtures
from workers import handlers, pulses, relay
from workers.models import Notification, PulseOptOut, TrustPulse
from workers.selectors import pulses as pulse_selectors

Role = Membership.Role
PRESENT, ABSENT = "present", "absent"


def event_for(subject, verb) -> Event:
    return Event.objects.create(
        verb=verb,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
    )


def attendance(meeting, entries, number=1):
    revision = AttendanceRevisionFactory(meeting=meeting, number=number)
    for organisation, person, status in entries:
        AttendanceEntryFactory(
            revision=revision, organisation=organisation, person=person, status=status
        )
    return revision


def asked(occasion) -> set[str]:
    return set(
        TrustPulse.objects.filter(
            occasion_type=ContentType.objects.get_for_model(occasion),
            occasion_id=str(occasion.pk),
        ).values_list("person__username", flat=True)
    )


def relay_meeting(meeting, capture, verb="meeting.held"):
    with capture(execute=True):
        handlers.pulses_after_meeting(event_for(meeting, verb))


def test_marking_a_meeting_held_with_attendance_sends_pulses_through_the_relay(
    world, django_capture_on_commit_callbacks
):
    """The real services and the real relay (in-process): the meeting is marked held and
    its attendance recorded, and the people present get their invitation."""
    meeting = meeting_in_a(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    meeting.refresh_from_db()
    officer = world.people["officer_a"]
    with django_capture_on_commit_callbacks(execute=True):
        mark_meeting_held(actor=officer, acting_for=world.purchaser_a, meeting=meeting)
    assert asked(meeting) == set()  # no attendance yet: nobody is known to have been there
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(
            actor=officer,
            acting_for=world.purchaser_a,
            meeting=meeting,
            entries=[
                {"organisation": world.provider_in_a.id, "status": PRESENT},
                {"organisation": world.purchaser_a.id, "person": officer.id, "status": PRESENT},
            ],
        )
    assert asked(meeting) == {"provider_in_a", "officer_a"}
    assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == [
        "officer_a@example.org",
        "provider_in_a@example.org",
    ]


def test_only_people_present_in_the_current_attendance_are_asked(
    world, django_capture_on_commit_callbacks
):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.network, None, PRESENT)], number=1)
    # The correction says the network was not there after all; the provider was.
    attendance(
        meeting,
        [
            (world.network, None, ABSENT),
            (world.provider_in_a, None, PRESENT),
            (world.purchaser_a, None, PRESENT),
        ],
        number=2,
    )
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    # The purchaser present without names asks nobody: it does not say who was there.
    assert asked(meeting) == {"provider_in_a"}


def test_a_person_named_absent_is_not_asked_for_the_organisation_present(
    world, django_capture_on_commit_callbacks
):
    meeting = meeting_in_a(world, held=True)
    colleague = MembershipFactory(
        organisation=world.provider_in_a, role=Role.PROVIDER_REPRESENTATIVE
    ).person
    attendance(
        meeting,
        [(world.provider_in_a, None, PRESENT), (world.provider_in_a, colleague, ABSENT)],
    )
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    assert asked(meeting) == {"provider_in_a"}


def test_opted_out_inactive_and_addressless_people_are_not_asked(
    world, django_capture_on_commit_callbacks
):
    meeting = meeting_in_a(world, held=True)
    reps = [
        MembershipFactory(organisation=world.provider_in_a, role=Role.PROVIDER_REPRESENTATIVE)
        for _ in range(3)
    ]
    PulseOptOut.objects.create(person=reps[0].person)
    reps[1].person.email = ""
    reps[1].person.save()
    reps[2].person.is_active = False
    reps[2].person.save()
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    assert asked(meeting) == {"provider_in_a"}
    assert len(mail.outbox) == 1


def test_the_handler_run_twice_asks_each_person_once_and_sends_once(
    world, django_capture_on_commit_callbacks
):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    relay_meeting(meeting, django_capture_on_commit_callbacks, verb="meeting.minutes_approved")
    assert TrustPulse.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind="trust_pulse").count() == 1


def test_a_cancelled_or_planned_meeting_asks_nobody(world, django_capture_on_commit_callbacks):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED)
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    assert TrustPulse.objects.count() == 0


def test_a_pulse_of_a_meeting_held_today_waits_a_day_for_the_sweep(
    world, django_capture_on_commit_callbacks
):
    # Held today in local time whatever the hour: three hours ago was yesterday at 02:00.
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    meeting = meeting_in_a(world, held=True, starts_at=midnight)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    assert TrustPulse.objects.count() == 1
    assert mail.outbox == []
    today = timezone.localdate()
    assert not pulse_selectors.due_pulses(today).exists()
    assert pulse_selectors.due_pulses(
        today + datetime.timedelta(days=pulse_selectors.PULSE_DELAY_DAYS)
    ).exists()


def test_the_sweep_sends_due_pulses_that_were_not_sent(world, django_capture_on_commit_callbacks):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    # Pulses made while the broker was down: created, never sent.
    pulses.create_pulses(
        occasion=meeting,
        participants=pulse_selectors.meeting_participants(meeting),
        purchaser_id=meeting.purchaser_id,
        occasion_date=meeting.starts_at.date(),
        programme_id=None,
        arena_id=meeting.arena_id,
    )
    assert mail.outbox == []
    assert pulses.send_due_pulses.delay().get() == 1
    assert pulses.send_due_pulses.delay().get() == 0
    assert len(mail.outbox) == 1


def test_closed_consultation_asks_commenters_cosigners_and_responders_only(
    world, django_capture_on_commit_callbacks
):
    programme = world.programme_a
    consultation = ConsultationFactory(
        programme=programme,
        invited=[world.provider_in_a, world.network, world.network_member],
        opens_at=timezone.now() - datetime.timedelta(days=20),
        closes_at=timezone.now() - datetime.timedelta(days=3),
    )
    comment = CommentFactory(
        consultation=consultation, organisation=world.network, author=world.people["network_rep"]
    )
    CoSignatureFactory(
        comment=comment,
        organisation=world.network_member,
        signed_by=world.people["network_member"],
    )
    ResponseFactory(comment=comment, written_by=world.people["officer_a"])
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        handlers.pulses_after_consultation(event_for(consultation, "consultation.closed"))
    # provider_in_a was invited but said nothing: not asked.
    assert asked(consultation) == {"network_rep", "network_member", "officer_a"}
    officer_pulse = TrustPulse.objects.get(person=world.people["officer_a"])
    assert officer_pulse.organisation == world.purchaser_a
    assert officer_pulse.programme == programme
    # The pulses; the responses-published notices (List-Unsubscribe-Post) go out beside them.
    invitations = [m for m in mail.outbox if "List-Unsubscribe-Post" not in m.extra_headers]
    assert len(invitations) == 3
    assert all(consultation.title in m.subject for m in invitations)


def test_an_open_consultation_asks_nobody(world, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(programme=world.programme_a)
    CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    handlers.pulses_after_consultation(event_for(consultation, "consultation.closed"))
    assert TrustPulse.objects.count() == 0


def test_the_invitation_names_the_occasion_and_carries_link_expiry_and_unsubscribe(
    world, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://dialog.example.se"
    person = world.people["provider_in_a"]
    Profile.objects.create(person=person, language="nb")
    meeting = meeting_in_a(world, held=True, title="Vårdrådet november")
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    pulse = TrustPulse.objects.get()
    assert pulse.language == "nb"
    assert message.extra_headers["Content-Language"] == "nb"
    token = re.search(r"https://dialog\.example\.se/pulse/([\w-]+)/\n", message.body).group(1)
    # Only the hash is stored; the token is in the link alone.
    assert pulse.token_hash == pulse_selectors.hash_token(token)
    assert token not in pulse.token_hash
    assert "Vårdrådet november" in message.subject
    assert "Vårdrådet november" in message.body
    unsubscribe = f"https://dialog.example.se/pulse/{token}/unsubscribe/"
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"https://dialog.example.se/pulse/{token}/" in html
    assert pulse.expires_at - timezone.now() > datetime.timedelta(days=13, hours=23)
    assert pulse.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y") in html


def test_language_follows_the_organisation_country_without_a_profile(
    world, django_capture_on_commit_callbacks
):
    world.provider_in_a.country = "NO"
    world.provider_in_a.save()
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    relay_meeting(meeting, django_capture_on_commit_callbacks)
    assert TrustPulse.objects.get().language == "nb"


def test_a_person_who_opts_out_before_sending_gets_nothing(world):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    [pulse_id] = pulses.create_pulses(
        occasion=meeting,
        participants=pulse_selectors.meeting_participants(meeting),
        purchaser_id=meeting.purchaser_id,
        occasion_date=meeting.starts_at.date(),
        programme_id=None,
        arena_id=None,
    )
    PulseOptOut.objects.create(person=world.people["provider_in_a"])
    assert pulses.send_pulse_now(pulse_id=pulse_id) is False
    assert mail.outbox == []


def database_url_with_socket() -> str:
    """The test server listens on a Unix socket, which dj-database-url puts in
    OPTIONS["host"]: the conftest's database_url() would send the worker to localhost.
    (The same work-around as tests/workers/test_relay_with_worker.py, until conftest.py
    is fixed.)"""
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host") or "localhost"
    port = db["PORT"] or db["OPTIONS"].get("port") or 5432
    return f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={port}"


@pytest.fixture
def worker(request, monkeypatch):
    monkeypatch.setattr(worker_fixtures, "database_url", database_url_with_socket)
    request.getfixturevalue("broker")
    # kombu hands the pool closed by the broker fixture back to the next test on the same
    # Redis ("Acquire on closed pool"): start from fresh pools.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    return request.getfixturevalue("celery_worker")


@pytest.mark.django_db(transaction=True)
def test_a_pulse_delivered_twice_to_the_real_worker_is_emailed_once(worker):
    celery_worker = worker
    person = PersonFactory(username="twice")
    meeting = HeldMeetingFactory(title="Vårdrådet")
    pulse = TrustPulse.objects.create(
        person=person,
        organisation=meeting.purchaser,
        purchaser=meeting.purchaser,
        occasion_type=ContentType.objects.get_for_model(meeting),
        occasion_id=str(meeting.pk),
        occasion_date=meeting.starts_at.date(),
        token_hash=pulse_selectors.hash_token("unknown"),
        language="sv",
        expires_at=timezone.now() + datetime.timedelta(days=15),
    )
    pulses.send_pulse.delay(pulse.pk)
    pulses.send_pulse.delay(pulse.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        finished = re.findall(
            r"send_pulse\[[\w-]+\] succeeded in [\d.]+s: (\w+)", celery_worker.output()
        )
        if len(finished) == 2:
            break
        time.sleep(0.2)
    assert sorted(finished) == ["False", "True"], celery_worker.output()
    emails = "".join(celery_worker.emails())
    assert emails.count("To: twice@example.org") + emails.count("<twice@example.org>") >= 1
    assert emails.count("Subject: ") == 1
    assert Notification.objects.filter(key=f"pulse:{pulse.pk}").count() == 1


def test_the_sweep_leaves_pulses_of_people_who_opted_out_alone(world):
    meeting = meeting_in_a(world, held=True)
    attendance(meeting, [(world.provider_in_a, None, PRESENT)])
    pulses.create_pulses(
        occasion=meeting,
        participants=pulse_selectors.meeting_participants(meeting),
        purchaser_id=meeting.purchaser_id,
        occasion_date=meeting.starts_at.date(),
        programme_id=None,
        arena_id=None,
    )
    PulseOptOut.objects.create(person=world.people["provider_in_a"])
    assert not pulse_selectors.due_pulses(timezone.localdate()).exists()


def wait_until(condition, timeout=60.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()  # a fresh read of what the worker committed
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.mark.django_db(transaction=True)
def test_a_meeting_logged_while_redis_is_down_gets_its_pulses_when_redis_is_back(
    worker, redis_proc, world
):
    meeting = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(days=3))
    redis_proc.stop()
    try:
        log_meeting(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            meeting=meeting,
            attendance=[{"organisation": world.provider_in_a.id, "status": PRESENT}],
        )
        event = Event.objects.get(verb="meeting.logged")
        assert event.relayed_at is None
    finally:
        redis_proc.start()
    assert not TrustPulse.objects.exists()

    relay.relay_pending.delay()

    wait_until(
        lambda: Notification.objects.filter(kind="trust_pulse").exists(),
        message="the pulse to be sent after the sweep",
    )
    # A second sweep finds nothing more to do.
    relay.relay_pending.delay()
    pulses.send_due_pulses.delay()
    time.sleep(2)
    assert Notification.objects.filter(kind="trust_pulse").count() == 1
    emails = "".join(worker.emails())
    assert emails.count("Subject: ") == 1
    assert "provider_in_a@example.org" in emails


def test_the_relay_knows_the_pulse_handlers():
    from workers import relay

    assert handlers.pulses_after_meeting in relay.handlers_for("meeting.held")
    assert handlers.pulses_after_meeting in relay.handlers_for("meeting.attendance_recorded")
    assert handlers.pulses_after_consultation in relay.handlers_for("consultation.closed")
