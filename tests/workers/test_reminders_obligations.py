"""Obligations whose next occurrence is due within 14 days: to the owing organisation's
people and the purchaser's officers, once per occurrence."""

import datetime

import pytest
from django.core import mail

from contracts.models import Contract, Obligation
from tests.contracts.factories import ObligationFulfilmentFactory
from tests.workers.reminder_factories import (
    TODAY,
    ContractFactory,
    ObligationFactory,
    emails_to,
    html_of,
)
from workers.reminders.deadlines import send_obligation_due_reminders

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.fixture
def contract(world):
    return ContractFactory(programme=world.programme_a, providers=[world.provider_in_a])


def monthly(contract, provider, first_due):
    return ObligationFactory(
        contract=contract,
        owed_by=provider,
        title="Månadsrapport väntetider",
        cadence=Obligation.Cadence.MONTHLY,
        first_due=first_due,
    )


def test_an_occurrence_due_within_14_days_reminds_the_owing_provider_and_the_officers(
    world, contract
):
    # Due on the 20th of every month: the next occurrence is 20 March, in 10 days.
    obligation = monthly(contract, world.provider_in_a, datetime.date(2027, 1, 20))

    assert send_obligation_due_reminders(today=TODAY) == 2

    people = world.people
    for person in (people["provider_in_a"], people["officer_a"]):
        (message,) = emails_to(person)
        assert "20 mars 2027" in message.subject
        assert "Månadsrapport väntetider" in message.body
        assert f"/api/v1/obligations/{obligation.id}/" in html_of(message)
    # The manager is not an officer, and politicians get no reminders.
    assert emails_to(people["manager_a"]) == []
    assert emails_to(people["politician_a"]) == []


def test_an_obligation_owed_by_the_purchaser_reminds_its_staff_once_each(world, contract):
    ObligationFactory(
        contract=contract,
        owed_by=world.purchaser_a,
        cadence=Obligation.Cadence.ONCE,
        first_due=day(14),
    )

    assert send_obligation_due_reminders(today=TODAY) == 2

    assert len(emails_to(world.people["manager_a"])) == 1
    assert len(emails_to(world.people["officer_a"])) == 1


def test_an_obligation_is_reminded_once_per_occurrence(world, contract):
    monthly(contract, world.provider_in_a, datetime.date(2027, 1, 20))

    send_obligation_due_reminders(today=TODAY)
    send_obligation_due_reminders(today=TODAY)
    send_obligation_due_reminders(today=day(5))
    assert len(emails_to(world.people["provider_in_a"])) == 1

    # The April occurrence is a new occasion.
    send_obligation_due_reminders(today=datetime.date(2027, 4, 10))
    assert len(emails_to(world.people["provider_in_a"])) == 2


def test_an_occurrence_more_than_14_days_ahead_is_not_reminded(world, contract):
    monthly(contract, world.provider_in_a, datetime.date(2027, 1, 25))  # next: 25 March

    assert send_obligation_due_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_a_fulfilled_occurrence_is_not_reminded(world, contract):
    obligation = monthly(contract, world.provider_in_a, datetime.date(2027, 1, 20))
    ObligationFulfilmentFactory(obligation=obligation, due=datetime.date(2027, 3, 20))

    assert send_obligation_due_reminders(today=TODAY) == 0


@pytest.mark.parametrize(
    "status", [Contract.Status.DRAFT, Contract.Status.NEGOTIATION, Contract.Status.ENDED]
)
def test_an_obligation_of_a_contract_not_in_force_is_not_reminded(world, status):
    contract = ContractFactory(
        programme=world.programme_a, providers=[world.provider_in_a], status=status
    )
    monthly(contract, world.provider_in_a, datetime.date(2027, 1, 20))

    assert send_obligation_due_reminders(today=TODAY) == 0


def test_a_series_that_has_ended_is_not_reminded(world, contract):
    obligation = monthly(contract, world.provider_in_a, datetime.date(2027, 1, 20))
    obligation.until = datetime.date(2027, 2, 28)
    obligation.save()

    assert send_obligation_due_reminders(today=TODAY) == 0
