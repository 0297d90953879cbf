"""Liveness and readiness for probes and load balancers, with django-health-check's checks
and base view (no sign-in, not throttled, never cached, JSON only).

- Liveness (`/health/live/`): the process answers. Nothing else is asked, so a database or
  Redis outage never makes an orchestrator restart a server that would work once it is back.
- Readiness (`/health/ready/`): `{"status": ..., "checks": {name: answer}}`.
  Database and media storage are needed to serve requests: either failing answers 503
  ("unavailable"). The cache, the broker and the relay are not: requests are served without
  them (the throttles count per process, Events wait for the sweep), so their failing makes
  the answer "degraded" with 200. A readiness that failed on Redis would take every server
  out of the balancer at once and turn a Redis outage into a full one.
  The broker is "not applicable" when there is none (CELERY_BROKER_URL unset: jobs run
  in-process).
Answers name checks and say what failed, never any data of the product.
"""

import asyncio

import redis.asyncio
from django.http import JsonResponse
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceWarning
from health_check.views import HealthCheckView

from config.celery import app
from workers.health import RelayLag

# A probe gives up on a server that does not answer in about this many seconds.
BROKER_TIMEOUT_SECONDS = 1.0


def broker_check():
    """A ping of the broker's Redis; None when jobs run in-process."""
    if app.conf.task_always_eager:
        return None
    url = app.conf.broker_url
    return Redis(
        client_factory=lambda: redis.asyncio.Redis.from_url(
            url,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
    )


# (name, needed to serve requests, a factory of the check or of None: not applicable)
READINESS = (
    ("database", True, Database),
    ("media", True, Storage),
    ("cache", False, Cache),
    ("broker", False, broker_check),
    ("relay", False, RelayLag),
)


class LivenessView(HealthCheckView):
    checks = ()

    async def get(self, request, *args, **kwargs):
        return JsonResponse({"status": "ok"})


class ReadinessView(HealthCheckView):
    checks = READINESS

    async def get(self, request, *args, **kwargs):
        planned = [(name, needed, make()) for name, needed, make in self.checks]
        applicable = [(name, needed, check) for name, needed, check in planned if check]
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for _name, _needed, check in applicable)
            )
        answers = {name: "not applicable" for name, _needed, check in planned if not check}
        status = "ok"
        for (name, needed, _check), result in zip(applicable, results, strict=True):
            error = result.error
            if error is None:
                answers[name] = "ok"
            elif needed and not isinstance(error, ServiceWarning):
                answers[name] = f"unavailable: {error.message}"
                status = "unavailable"
            else:
                answers[name] = f"degraded: {error.message}"
                status = "degraded" if status == "ok" else status
        ordered = {name: answers[name] for name, _needed, _make in self.checks}
        return JsonResponse(
            {"status": status, "checks": ordered},
            status=503 if status == "unavailable" else 200,
        )
