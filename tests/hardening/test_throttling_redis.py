"""Throttles on the production cache, a real Redis: they count there while it is up, and
while it is down a write is still answered and saved (the throttles count per process, so a
flood is still slowed down), with one warning rather than one per request."""

import logging

import pytest
from django.core.cache import cache

from commissioning.api import throttling
from commissioning.models import Programme
from tests.workers.pulse_factories import issued_pulse

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(redis_proc, settings):
    """Django's cache on the test Redis, as REDIS_CACHE_URL configures it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{redis_proc.host}:{redis_proc.port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.THROTTLE_RATES = {
        "user_writes": "3/minute",
        "anon_writes": "2/minute",
        "pulse": "2/minute",
    }
    cache.clear()
    throttling.LOCAL_COUNTS.clear()
    throttling.OUTAGE.__init__()
    yield redis_proc
    throttling.LOCAL_COUNTS.clear()
    throttling.OUTAGE.__init__()


@pytest.fixture
def redis_stopped(redis_cache):
    redis_cache.stop()
    try:
        yield
    finally:
        redis_cache.start()


def create_programme(client, world, name):
    return client.post(
        "/api/v1/programmes/",
        {"name": name, "language": "sv", "framework": "se_care_choice"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def test_the_throttle_counts_in_redis_while_it_is_up(redis_cache, client_for, world):
    client = client_for("officer_a")
    statuses = [create_programme(client, world, f"Vårdval {n}").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    # The counts are in the shared cache, where every other server process sees them.
    assert len(cache.get(f"throttle_user_writes_{world.people['officer_a'].pk}")) == 3
    assert throttling.OUTAGE.fallbacks == 0


def test_a_write_is_answered_and_saved_while_redis_is_down(
    redis_stopped, client_for, world, caplog
):
    client = client_for("officer_a")
    with caplog.at_level(logging.WARNING, logger="commissioning.api.throttling"):
        response = create_programme(client, world, "Written during the outage")
        assert response.status_code == 201, response.content
        assert Programme.objects.filter(name="Written during the outage").exists()
        # Still limited, per process: the fourth write of the minute is refused.
        statuses = [create_programme(client, world, f"Vårdval {n}").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    assert Programme.objects.filter(name__startswith="Vårdval").count() == 2
    warnings = [r for r in caplog.records if r.name == "commissioning.api.throttling"]
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0].getMessage()
    assert throttling.OUTAGE.fallbacks == 4


def test_the_pulse_page_answers_while_redis_is_down(redis_cache, client):
    _pulse, token = issued_pulse()
    redis_cache.stop()
    try:
        statuses = [client.get(f"/pulse/{token}/").status_code for _ in range(3)]
    finally:
        redis_cache.start()
    assert statuses == [200, 200, 429]


def test_the_shared_cache_is_used_again_once_redis_is_back(redis_cache, client_for, world):
    client = client_for("officer_a")
    redis_cache.stop()
    try:
        assert create_programme(client, world, "During").status_code == 201
    finally:
        redis_cache.start()
    throttling.OUTAGE.down_until = 0.0  # as RETRY_SECONDS later
    assert create_programme(client, world, "After").status_code == 201
    assert len(cache.get(f"throttle_user_writes_{world.people['officer_a'].pk}")) == 1
