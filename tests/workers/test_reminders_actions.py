"""Action items coming due (within 3 days) and overdue: to the owner person, else the owner
organisation's people; each email once."""

import datetime

import pytest
from django.core import mail

from dialogue.models import ActionItem
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory
from tests.workers.reminder_factories import (
    TODAY,
    ActionItemFactory,
    ArenaFactory,
    MeetingFactory,
    ProfileFactory,
    emails_to,
    html_of,
)
from workers.models import Notification
from workers.reminders.deadlines import send_action_due_reminders, send_action_overdue_reminders

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def meeting(world):
    return MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a, name="Vårdvalsrådet"))


def test_an_action_due_in_three_days_reminds_the_owner_organisations_people(world, meeting):
    action = ActionItemFactory(
        meeting=meeting, owner_organisation=world.provider_in_a, due_date=day(3)
    )

    assert send_action_due_reminders(today=TODAY) == 1

    (message,) = mail.outbox
    assert message.to == [
        f"{world.people['provider_in_a'].get_full_name()} <provider_in_a@example.org>"
    ]
    assert action.title in message.subject
    assert action.title in message.body
    assert f"/api/v1/action-items/{action.id}/" in message.body
    assert f"/api/v1/action-items/{action.id}/" in html_of(message)
    assert "<strong>" in html_of(message)
    assert Notification.objects.get().key == (
        f"action-due:{action.id}:{day(3).isoformat()}:{world.people['provider_in_a'].id}"
    )


def test_an_action_with_an_owner_person_reminds_only_that_person(world, meeting):
    colleague = MembershipFactory(
        person=PersonFactory(username="colleague"),
        organisation=world.provider_in_a,
        role="provider_representative",
    ).person
    owner = world.people["provider_in_a"]
    ActionItemFactory(
        meeting=meeting,
        owner_organisation=world.provider_in_a,
        owner_person=owner,
        due_date=day(1),
    )

    send_action_due_reminders(today=TODAY)

    assert len(emails_to(owner)) == 1
    assert emails_to(colleague) == []


def test_an_action_is_reminded_in_the_recipients_language(world, meeting):
    ProfileFactory(person=world.people["provider_in_a"], language="nb")
    english = ProviderFactory(name="Clinic Ltd", country="GB")
    english_rep = MembershipFactory(
        person=PersonFactory(username="english_rep"),
        organisation=english,
        role="provider_representative",
    ).person
    ActionItemFactory(meeting=meeting, owner_organisation=world.provider_in_a, due_date=day(2))
    ActionItemFactory(meeting=meeting, owner_organisation=english, due_date=day(2))
    ActionItemFactory(meeting=meeting, owner_organisation=world.network, due_date=day(2))

    send_action_due_reminders(today=TODAY)

    # 12 March 2027, written the way each language writes a date.
    (norwegian,) = emails_to(world.people["provider_in_a"])
    assert norwegian.extra_headers["Content-Language"] == "nb"
    assert "12. mars 2027" in norwegian.subject
    (swedish,) = emails_to(world.people["network_rep"])
    assert swedish.extra_headers["Content-Language"] == "sv"
    assert "12 mars 2027" in swedish.subject
    (english_message,) = emails_to(english_rep)
    assert english_message.extra_headers["Content-Language"] == "en"
    assert "12 March 2027" in english_message.subject


@pytest.mark.parametrize(
    ("due", "status"),
    [
        (day(4), ActionItem.Status.OPEN),
        (day(-1), ActionItem.Status.OPEN),
        (day(2), ActionItem.Status.DONE),
    ],
    ids=["due in four days", "already overdue", "done"],
)
def test_an_action_not_coming_due_is_not_reminded(world, meeting, due, status):
    ActionItemFactory(
        meeting=meeting, owner_organisation=world.provider_in_a, due_date=due, status=status
    )

    assert send_action_due_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_an_action_coming_due_is_reminded_once_when_the_job_runs_twice(world, meeting):
    ActionItemFactory(meeting=meeting, owner_organisation=world.provider_in_a, due_date=day(3))

    send_action_due_reminders(today=TODAY)
    send_action_due_reminders(today=TODAY)
    send_action_due_reminders(today=day(1))

    assert len(mail.outbox) == 1


def test_an_action_moved_to_a_later_date_is_reminded_again(world, meeting):
    action = ActionItemFactory(
        meeting=meeting, owner_organisation=world.provider_in_a, due_date=day(3)
    )
    send_action_due_reminders(today=TODAY)
    action.due_date = day(10)
    action.save()

    send_action_due_reminders(today=day(8))

    assert len(mail.outbox) == 2


def test_an_overdue_action_reminds_the_owner_once(world, meeting):
    action = ActionItemFactory(
        meeting=meeting, owner_organisation=world.provider_in_a, due_date=day(-1)
    )

    assert send_action_overdue_reminders(today=TODAY) == 1
    assert send_action_overdue_reminders(today=day(1)) == 0

    (message,) = mail.outbox
    assert action.title in message.subject
    assert "mars 2027" in message.body  # due 9 March, in Swedish


@pytest.mark.parametrize(
    ("due", "status"),
    [(TODAY, ActionItem.Status.OPEN), (day(-5), ActionItem.Status.DROPPED)],
    ids=["due today", "dropped"],
)
def test_an_action_not_overdue_is_not_reminded_as_overdue(world, meeting, due, status):
    ActionItemFactory(
        meeting=meeting,
        owner_organisation=world.provider_in_a,
        due_date=due,
        status=status,
        dropped_reason="No longer needed" if status == ActionItem.Status.DROPPED else "",
    )

    assert send_action_overdue_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_an_owner_organisation_without_people_gets_no_email(world, meeting):
    nobody = ProviderFactory(name="Nobody's clinic")
    ActionItemFactory(meeting=meeting, owner_organisation=nobody, due_date=day(-3))

    assert send_action_overdue_reminders(today=TODAY) == 0
    assert Notification.objects.count() == 0
