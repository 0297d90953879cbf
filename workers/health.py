"""The relay's part of the readiness answer: how far behind it is.

Every change writes an Event that the relay hands to its handlers within a minute (the
sweep); an Event unrelayed for longer than RELAY_LAG_DEGRADED_AFTER seconds means the
workers, the beat or the broker are not keeping up. The server still answers everything, so
this makes it *degraded*, never unready."""

import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceWarning

from commissioning.models import Event


def oldest_unrelayed_age() -> float | None:
    """Seconds since the oldest unrelayed Event was written; None when all are relayed.
    Read by the partial index on unrelayed ids (ids grow with time)."""
    created = (
        Event.objects.filter(relayed_at__isnull=True)
        .order_by("id")
        .values_list("created_at", flat=True)
        .first()
    )
    if created is None:
        return None
    return (timezone.now() - created).total_seconds()


@dataclasses.dataclass
class RelayLag(HealthCheck):
    """A warning (degraded) when the oldest unrelayed Event is older than the setting."""

    async def run(self) -> None:
        # In the request's own thread and connection (thread-sensitive), not a new one.
        age = await sync_to_async(oldest_unrelayed_age)()
        limit = settings.RELAY_LAG_DEGRADED_AFTER
        if age is not None and age > limit:
            raise ServiceWarning(
                f"the oldest unrelayed event is {int(age)} s old (more than {limit} s)"
            )
