"""The tasks of the Event relay. Both take ids or nothing, and both are safe to run twice: the
HandlerRun rows decide what has run (see workers.relay)."""

import logging

from celery import shared_task
from django.db import OperationalError as DatabaseError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

from workers import relay

logger = logging.getLogger(__name__)

# Trouble reaching the database or the broker passes; a handler's own failure does not pass
# by retrying at once, so it is left to the sweep (workers.relay catches and logs it).
TRANSIENT = (DatabaseError, BrokerError, RedisConnectionError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(acks_late=True, **RETRY)
def relay_event(event_id: int) -> dict:
    """Relay one Event: published when the Event is committed (workers.apps)."""
    return relay.relay_event(event_id)


@shared_task(acks_late=True, **RETRY)
def relay_pending(limit: int = 1000) -> dict:
    """The sweep, every minute (setup_periodic_tasks): Events the publishing at commit missed
    (broker down, worker lost, a handler that failed) are relayed here."""
    return relay.relay_pending(limit)


# Publishing happens in the request that wrote the Event: retry a broker blip once, then
# leave the Event to the sweep rather than keep the person waiting.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.5}


def publish(event_id: int) -> None:
    """Hand a committed Event to the relay. Called after the commit (transaction.on_commit),
    so the worker never reads an Event that is not there yet, and a broker that is down does
    not fail the request: the Event stays unrelayed and the sweep relays it later."""
    try:
        relay_event.apply_async((event_id,), retry_policy=PUBLISH_RETRY)
    except (BrokerError, RedisConnectionError) as exc:
        logger.warning(
            "Event %s not published to the relay (%s); the sweep will relay it.", event_id, exc
        )
