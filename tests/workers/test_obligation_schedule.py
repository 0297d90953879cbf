"""A signed contract → each person of the purchaser and of the provider parties gets the
obligation schedule once, in their language, with the next due dates of each obligation."""

import pytest
from django.core import mail

from commissioning.models import Event, Profile
from contracts.models import Contract
from tests.workers.relay_factories import EventFactory, contract_ready_to_sign
from workers import relay
from workers.handlers import send_obligation_schedule
from workers.models import Notification

pytestmark = pytest.mark.django_db


def sign(client_for, world, contract):
    return client_for("manager_a").post(
        f"/api/v1/contracts/{contract.pk}/sign/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def signed_event(contract) -> Event:
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.SIGNED)
    return EventFactory(verb="contract.signed", subject=contract)


def test_signing_a_contract_sends_the_schedule_to_the_purchaser_and_the_parties(
    client_for, world, django_capture_on_commit_callbacks
):
    contract = contract_ready_to_sign(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = sign(client_for, world, contract)

    assert response.status_code == 200, response.content
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        f"{world.people[name].get_full_name()} <{name}@example.org>"
        for name in ("manager_a", "officer_a", "provider_in_a")
    )
    event = Event.objects.get(verb="contract.signed", subject_id=str(contract.pk))
    assert event.relayed_at is not None
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"obligation-schedule:{contract.pk}:{world.people[name].pk}"
        for name in ("manager_a", "officer_a", "provider_in_a")
    }


def test_the_schedule_lists_each_obligation_with_its_next_due_dates_in_swedish(world):
    """The organisations are Swedish: the dates are written in Swedish, from the start of
    the contract period (1 January 2027) on; a report due on the 31st falls on the 30th in
    30-day months."""
    event = signed_event(contract_ready_to_sign(world))

    send_obligation_schedule(event)

    message = next(m for m in mail.outbox if "manager_a@example.org" in m.to[0])
    assert message.extra_headers["Content-Language"] == "sv"
    assert "Närvård i Ånge" in message.subject
    assert "Kvartalsrapport" in message.body
    assert "31 mars 2027, 30 juni 2027, 30 september 2027" in message.body
    assert "15 december 2027, 15 december 2028, 15 december 2029" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html"
    assert "Årlig uppföljning" in html[0]


def test_a_person_who_chose_english_gets_the_schedule_in_english(world):
    Profile.objects.create(person=world.people["provider_in_a"], language="en")
    event = signed_event(contract_ready_to_sign(world))

    send_obligation_schedule(event)

    message = next(m for m in mail.outbox if "provider_in_a@example.org" in m.to[0])
    assert message.extra_headers["Content-Language"] == "en"
    assert "31 March 2027" in message.body


def test_the_schedule_is_sent_once_however_often_the_handler_runs(world):
    event = signed_event(contract_ready_to_sign(world))

    send_obligation_schedule(event)
    send_obligation_schedule(event)

    assert len(mail.outbox) == 3
    assert Notification.objects.filter(kind="obligation_schedule").count() == 3


def test_politicians_and_other_purchasers_do_not_get_the_schedule(world):
    event = signed_event(contract_ready_to_sign(world))

    send_obligation_schedule(event)

    sent_to = " ".join(address for message in mail.outbox for address in message.to)
    for name in ("politician_a", "manager_b", "provider_outside", "network_rep"):
        assert f"{name}@example.org" not in sent_to


def test_a_contract_without_obligations_sends_nothing(world):
    contract = contract_ready_to_sign(world)
    contract.obligations.all().delete()

    send_obligation_schedule(signed_event(contract))

    assert mail.outbox == []


def test_the_schedule_handler_follows_signed_contracts():
    assert send_obligation_schedule in relay.handlers_for("contract.signed")
