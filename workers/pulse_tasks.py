"""The tasks of trust pulses. They take ids, and are safe to run twice: a pulse's
Notification row ("pulse:{id}") decides whether it was sent (workers.pulses.send_pulse)."""

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

from workers import pulses

RETRY = {
    "autoretry_for": (DatabaseError, ConnectionError, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}

SWEEP_LIMIT = 5000


@shared_task(acks_late=True, **RETRY)
def send_pulse(pulse_id: int) -> bool:
    """Send one pulse's invitation once."""
    return pulses.send_pulse(pulse_id=pulse_id)


@shared_task(acks_late=True, **RETRY)
def send_pulses(pulse_ids: list[int]) -> int:
    """Send a chunk of pulses (as enqueued by the relay's handlers); each once. An email
    that fails stops the chunk, and the retry skips those already sent."""
    return pulses.send_pulses(pulse_ids)


@shared_task(acks_late=True, **RETRY)
def send_due_pulses(limit: int = SWEEP_LIMIT) -> int:
    """The sweep (hourly in the beat schedule): pulses that became due after they were made
    (PULSE_DELAY_DAYS after the occasion), or whose sending was lost with the broker."""
    ids = list(pulses.due_pulses(timezone.localdate()).values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), pulses.SEND_CHUNK):
        send_pulses.delay(ids[start : start + pulses.SEND_CHUNK])
    return len(ids)


__all__ = ["send_due_pulses", "send_pulse", "send_pulses"]
