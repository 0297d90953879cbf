"""Milestones due within 14 days remind the purchaser's staff; planned milestones past due are
marked missed through a service that writes an Event."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from commissioning.models import Event, Milestone
from commissioning.services.milestones import mark_milestone_missed
from tests.workers.reminder_factories import TODAY, MilestoneFactory, emails_to, html_of
from workers.reminders.deadlines import (
    mark_missed_milestones,
    send_milestone_due_reminders,
)

pytestmark = pytest.mark.django_db
Status = Milestone.Status


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def test_a_milestone_due_in_14_days_reminds_the_purchasers_managers_and_officers(world):
    milestone = MilestoneFactory(
        programme=world.programme_a,
        title="Dialogmöte med vårdgivare",
        due_date=day(14),
        gating=True,
    )

    assert send_milestone_due_reminders(today=TODAY) == 2

    for name in ("manager_a", "officer_a"):
        (message,) = emails_to(world.people[name])
        assert "Dialogmöte med vårdgivare" in message.subject
        assert "24 mars 2027" in message.subject
        assert message.extra_headers["Content-Language"] == "sv"
        assert f"/api/v1/milestones/{milestone.id}/" in html_of(message)
    assert len(mail.outbox) == 2  # not purchaser B's staff, providers or politicians


def test_a_milestone_due_relative_to_the_decision_date_is_reminded(world):
    programme = world.programme_a
    programme.target_decision_date = day(20)
    programme.save()
    MilestoneFactory(programme=programme, due_date=None, due_offset_days=-10)

    assert send_milestone_due_reminders(today=TODAY) == 2


@pytest.mark.parametrize(
    ("due", "status"),
    [(day(15), Status.PLANNED), (day(5), Status.MET), (day(-1), Status.PLANNED)],
    ids=["due in 15 days", "met", "past due"],
)
def test_a_milestone_not_coming_due_is_not_reminded(world, due, status):
    MilestoneFactory(programme=world.programme_a, due_date=due, status=status)

    assert send_milestone_due_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_a_milestone_due_is_reminded_once_when_the_job_runs_twice(world):
    MilestoneFactory(programme=world.programme_a, due_date=day(7))

    send_milestone_due_reminders(today=TODAY)
    send_milestone_due_reminders(today=day(1))

    assert len(mail.outbox) == 2


def test_a_planned_milestone_past_due_is_marked_missed_with_an_event(world):
    milestone = MilestoneFactory(programme=world.programme_a, due_date=day(-1), gating=True)

    assert mark_missed_milestones(today=TODAY) == 1

    milestone.refresh_from_db()
    assert milestone.status == Status.MISSED
    assert milestone.is_open  # a missed gate still holds up the decision
    event = Event.objects.get(verb="milestone.missed")
    assert event.subject_type == ContentType.objects.get_for_model(Milestone)
    assert event.subject_id == str(milestone.id)
    assert event.purchaser == world.purchaser_a
    assert event.actor is None
    assert event.acting_for is None
    assert event.before["status"] == "planned"
    assert event.after["status"] == "missed"


@pytest.mark.parametrize(
    ("due", "status"),
    [
        (TODAY, Status.PLANNED),
        (day(-3), Status.MET),
        (day(-3), Status.WAIVED),
        (None, Status.PLANNED),
    ],
    ids=["due today", "met", "waived", "no due date"],
)
def test_a_milestone_not_past_due_or_not_planned_is_left_alone(world, due, status):
    milestone = MilestoneFactory(
        programme=world.programme_a,
        due_date=due,
        status=status,
        waiver_reason="Decided by the board" if status == Status.WAIVED else "",
    )

    assert mark_missed_milestones(today=TODAY) == 0

    milestone.refresh_from_db()
    assert milestone.status == status
    assert not Event.objects.filter(verb="milestone.missed").exists()


def test_marking_missed_twice_writes_one_event(world):
    milestone = MilestoneFactory(programme=world.programme_a, due_date=day(-1))

    mark_missed_milestones(today=TODAY)
    assert mark_milestone_missed(milestone=milestone, today=TODAY) is None
    assert mark_missed_milestones(today=TODAY) == 0

    assert Event.objects.filter(verb="milestone.missed").count() == 1
