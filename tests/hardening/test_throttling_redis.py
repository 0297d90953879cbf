"""Throttles on the production cache, a real Redis: they count there while it is up, and
while it is down a write is still answered and saved (the throttles count per process, so a
flood is still slowed down), with one warning rather than one per request."""

import json
import logging
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import cache

from commissioning.api import throttling
from commissioning.models import Programme
from tests.hardening.test_throttling import create_programme
from tests.workers.pulse_factories import issued_pulse

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(redis_on, settings):
    """The cache on the test Redis (redis_on), with low rates and fresh counts."""
    settings.THROTTLE_RATES = {
        "user_writes": "3/minute",
        "anon_writes": "2/minute",
        "pulse": "2/minute",
    }
    cache.clear()
    throttling.LOCAL_COUNTS.clear()
    throttling.OUTAGE.reset()
    yield redis_on
    throttling.LOCAL_COUNTS.clear()
    throttling.OUTAGE.reset()


@pytest.fixture
def redis_stopped(redis_cache):
    redis_cache.stop()
    try:
        yield
    finally:
        redis_cache.start()


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


CACHE_OPTIONS_PROBE = (
    "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
)


def cache_settings(**env) -> dict:
    environment = {**os.environ, "SECRET_KEY": "test", **env}
    result = subprocess.run(
        [sys.executable, "-c", CACHE_OPTIONS_PROBE],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def silent_redis():
    """A port that takes connections and never answers, like a Redis host that hangs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def test_a_redis_that_does_not_answer_holds_a_write_for_at_most_the_cache_timeout(
    silent_redis, settings, client_for, world
):
    configured = cache_settings(
        REDIS_CACHE_URL=f"redis://127.0.0.1:{silent_redis}/1", REDIS_CACHE_TIMEOUT="0.3"
    )
    assert configured["OPTIONS"] == {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    settings.CACHES = {"default": configured}
    throttling.OUTAGE.reset()
    started = time.monotonic()
    try:
        response = create_programme(client_for("officer_a"), world, "Written while Redis hangs")
        elapsed = time.monotonic() - started
        counted_locally = throttling.OUTAGE.fallbacks
    finally:
        throttling.OUTAGE.reset()
    assert response.status_code == 201
    assert elapsed < 3
    assert counted_locally == 1  # the shared cache timed out, and the write was counted here
