"""Sending a task from a request: never the reason a committed write answers an error.

A request that has committed its change hands the follow-up to the broker; a broker that is
down or slow (Redis stopped, a blip) must not turn that into a 500, nor keep the person
waiting: the publish is retried once, then given up with a warning, and what it would have
started is left to whatever mends it (the relay's sweep for Events, the pulse sweep for
pulses, ordering a queued document again for a render)."""

import logging

from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Retry a broker blip once, then leave the work to its sweep.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.5}

BROKER_ERRORS = (BrokerError, RedisError)


def send(task, *args, otherwise: str) -> bool:
    """Send `task` with `args` to the broker (run it at once with no broker). True when it
    was sent; False, with a warning that ends with `otherwise` (what mends it), when the
    broker could not take it."""
    try:
        task.apply_async(args, retry_policy=PUBLISH_RETRY)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Task %s%r not sent (%s: %s); %s.", task.name, args, type(exc).__name__, exc, otherwise
        )
        return False
    return True
