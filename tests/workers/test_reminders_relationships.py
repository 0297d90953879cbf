"""Relationships with no held meeting for the purchaser's N days alert its managers, once per
silence: a new meeting starts a new one."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dialogue.models import Meeting, RelationshipSettings
from tests.factories import MembershipFactory, PersonFactory
from tests.workers.reminder_factories import (
    ArenaFactory,
    AttendanceRevisionFactory,
    MeetingFactory,
    emails_to,
    html_of,
)
from workers.reminders.silences import send_relationship_silence_alerts

pytestmark = pytest.mark.django_db


def local_noon(days_ago: int) -> datetime.datetime:
    """Noon of the local day `days_ago` days back: counted in calendar days, a meeting held
    "100 days ago" must fall on that day whatever the time of day and summer time say."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def held_with(arena, days_ago: int, *present):
    meeting = MeetingFactory(
        arena=arena,
        starts_at=local_noon(days_ago),
        status=Meeting.Status.HELD,
    )
    AttendanceRevisionFactory(meeting=meeting, number=1, present=list(present))
    return meeting


@pytest.fixture
def arena(world):
    """Purchaser A alerts after 90 days; the network met A 10 days ago, the provider 100."""
    RelationshipSettings.objects.create(purchaser=world.purchaser_a, no_meeting_alert_days=90)
    arena = ArenaFactory(purchaser=world.purchaser_a)
    held_with(arena, 10, world.network)
    held_with(arena, 100, world.provider_in_a)
    return arena


def test_a_relationship_without_a_meeting_for_n_days_alerts_the_purchasers_managers(world, arena):
    send_relationship_silence_alerts(today=timezone.localdate())

    (message,) = emails_to(world.people["manager_a"])
    assert "Provider in A" in message.subject
    assert "100" in message.subject
    assert "90" in message.body
    assert message.extra_headers["Content-Language"] == "sv"
    assert (
        f"/api/v1/relationships/?purchaser={world.purchaser_a.id}"
        f"&amp;provider={world.provider_in_a.id}" in html_of(message)
    )
    # Not officers, not providers; purchaser B's manager hears only of B's own relationship
    # (its provider never met B).
    assert emails_to(world.people["officer_a"]) == []
    assert emails_to(world.people["provider_in_a"]) == []
    assert all("Provider in A" not in m.subject for m in emails_to(world.people["manager_b"]))


def test_a_relationship_that_met_within_n_days_does_not_alert(world, arena):
    send_relationship_silence_alerts(today=timezone.localdate())

    assert all("Network in A" not in m.subject for m in mail.outbox)


def test_a_provider_that_never_met_the_purchaser_alerts(world):
    send_relationship_silence_alerts(today=timezone.localdate())

    subjects = [m.subject for m in emails_to(world.people["manager_a"])]
    assert len(subjects) == 2  # the provider and the network of programme A
    assert any("Provider in A" in s for s in subjects)


def test_every_manager_of_the_purchaser_is_alerted(world, arena):
    second = MembershipFactory(
        person=PersonFactory(username="second_manager"),
        organisation=world.purchaser_a,
        role="manager",
    ).person

    send_relationship_silence_alerts(today=timezone.localdate())

    assert len(emails_to(second)) == 1
    assert len(emails_to(world.people["manager_a"])) == 1


def test_a_silence_alerts_once_when_the_job_runs_twice_or_the_next_day(world, arena):
    today = timezone.localdate()

    send_relationship_silence_alerts(today=today)
    send_relationship_silence_alerts(today=today)
    send_relationship_silence_alerts(today=today + datetime.timedelta(days=1))

    assert len(emails_to(world.people["manager_a"])) == 1


def test_a_new_meeting_starts_a_new_silence_that_alerts_again(world, arena):
    today = timezone.localdate()
    send_relationship_silence_alerts(today=today)
    held_with(arena, 1, world.provider_in_a, world.network)

    # Met yesterday: no alert now; 90 days on, the new silence alerts.
    assert send_relationship_silence_alerts(today=today) == 0
    assert send_relationship_silence_alerts(today=today + datetime.timedelta(days=89)) == 2

    subjects = [m.subject for m in emails_to(world.people["manager_a"])]
    assert sum("Provider in A" in s for s in subjects) == 2
