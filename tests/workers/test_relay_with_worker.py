"""The relay with a real Celery worker on a real Redis: an Event committed while Redis is
down is not lost, and a relay task delivered twice sends nothing twice.

Slow (a worker starts in about 7 seconds), so only what needs the real thing is here; the
logic is tested in-process in test_relay.py. The handler is the real one of signed
contracts: it runs in the worker process, where the test's registry cannot reach."""

import time

import pytest
from django.db import connection

from commissioning.models import Event
from config.celery import app
from tests.workers.relay_factories import contract_ready_to_sign
from workers import relay
from workers.models import HandlerRun, Notification

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = ("manager_a", "officer_a", "provider_in_a")


def wait_until(condition, timeout=60.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Each look is a fresh read of what the worker committed.
        connection.close()
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def queues_drained() -> bool:
    """Nothing waiting in Redis and nothing running in the worker."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        if any(client.llen(queue) for queue in ("default", "pdf", "followups")):
            return False
    active = app.control.inspect(timeout=1.0).active() or {}
    reserved = app.control.inspect(timeout=1.0).reserved() or {}
    return not any(active.values()) and not any(reserved.values())


def sign(client_for, world, contract):
    return client_for("manager_a").post(
        f"/api/v1/contracts/{contract.pk}/sign/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def schedule_keys(contract, world) -> set[str]:
    return {f"obligation-schedule:{contract.pk}:{world.people[n].pk}" for n in RECIPIENTS}


def test_an_event_committed_while_redis_is_down_is_relayed_when_it_is_back(
    celery_worker, redis_proc, world, client_for
):
    contract = contract_ready_to_sign(world)
    redis_proc.stop()
    try:
        response = sign(client_for, world, contract)
        # The write is committed and answered although its Event could not be published.
        assert response.status_code == 200, response.content
        event = Event.objects.get(verb="contract.signed", subject_id=str(contract.pk))
        assert event.relayed_at is None
        assert not Notification.objects.exists()
    finally:
        redis_proc.start()

    relay.relay_pending.delay()

    wait_until(
        lambda: Event.objects.filter(pk=event.pk, relayed_at__isnull=False).exists(),
        message="the sweep to relay the event",
    )
    assert set(Notification.objects.values_list("key", flat=True)) == schedule_keys(contract, world)
    emails = "\n".join(celery_worker.emails())
    assert emails.count("Subject:") == len(RECIPIENTS)
    assert "Kvartalsrapport" in emails


def test_a_relay_task_delivered_twice_sends_nothing_twice(celery_worker, world, client_for):
    contract = contract_ready_to_sign(world)
    response = sign(client_for, world, contract)
    assert response.status_code == 200, response.content
    event = Event.objects.get(verb="contract.signed", subject_id=str(contract.pk))
    wait_until(
        lambda: Event.objects.filter(pk=event.pk, relayed_at__isnull=False).exists(),
        message="the event to be relayed at commit",
    )
    # As if the worker had died after the handlers ran but before the event was marked:
    # the message is delivered again, here twice.
    Event.objects.filter(pk=event.pk).update(relayed_at=None)

    relay.relay_event.delay(event.pk)
    relay.relay_event.delay(event.pk)

    wait_until(
        lambda: (
            Event.objects.filter(pk=event.pk, relayed_at__isnull=False).exists()
            and queues_drained()
        ),
        message="both deliveries to be done",
    )
    assert HandlerRun.objects.filter(event=event).count() == 1
    assert Notification.objects.filter(kind="obligation_schedule").count() == len(RECIPIENTS)
    assert "\n".join(celery_worker.emails()).count("Subject:") == len(RECIPIENTS)
