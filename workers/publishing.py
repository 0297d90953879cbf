"""Sending a task from a request: never the reason a committed write answers an error, nor
waits long.

A request that has committed its change hands the follow-up to the broker; a broker that is
down, or hangs (the transport's socket timeouts in config.celery bound each attempt), must not
turn that into a 500 nor keep the person waiting: the publish is retried once, then given up
with a warning, and what it would have started is left to whatever mends it (the relay's
sweep for Events, the pulse sweep for pulses, ordering a queued document again for a
render). After a failure the broker is left alone for a few seconds (BROKER, an Outage), so
an outage costs one failed attempt every few seconds rather than one per request."""

import logging

from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from commissioning.outages import Outage

logger = logging.getLogger(__name__)

# Retry a broker blip once, then leave the work to its sweep.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.5}

BROKER_ERRORS = (BrokerError, RedisError)

BROKER = Outage("broker", "tasks are left to their sweeps", logger)


def send(task, *args, otherwise: str) -> bool:
    """Send `task` with `args` to the broker (run it at once with no broker). True when it
    was sent; False when the broker could not take it, or failed moments ago, with a line
    that ends with `otherwise` (what mends it)."""
    if BROKER.is_down():
        BROKER.done_without()
        logger.info("Task %s%r not sent (the broker is down); %s.", task.name, args, otherwise)
        return False
    try:
        task.apply_async(args, retry_policy=PUBLISH_RETRY)
    except BROKER_ERRORS as exc:
        BROKER.failed(exc)
        BROKER.done_without()
        logger.warning(
            "Task %s%r not sent (%s: %s); %s.", task.name, args, type(exc).__name__, exc, otherwise
        )
        return False
    return True
