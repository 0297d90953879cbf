"""The health probes: liveness asks nothing; readiness checks the database, media storage,
cache, broker and relay lag, each with a real service that answers and one that does not.
JSON, no sign-in, no data of the product."""

import datetime
import json

import pytest
from asgiref.sync import async_to_sync
from django.db import connections
from django.test import RequestFactory
from django.utils import timezone
from health_check.checks import Database

from commissioning.models import Event
from config.health import ReadinessView
from tests.factories import ProgrammeFactory
from tests.workers.conftest import broker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LIVE, READY = "/health/live/", "/health/ready/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def redis_cache(redis_on):
    return redis_on


def ready(client):
    response = client.get(READY)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_liveness_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVE, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_everything_up_is_ready(client, redis_cache):
    assert ready(client) == (
        200,
        {
            "status": "ok",
            "checks": {
                "database": "ok",
                "media": "ok",
                "cache": "ok",
                "broker": "not applicable",
                "relay": "ok",
            },
        },
    )


def test_a_cache_that_cannot_be_reached_is_degraded_not_unready(client, redis_cache):
    redis_cache.stop()
    try:
        status, body = ready(client)
    finally:
        redis_cache.start()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["cache"].startswith("degraded:")
    assert body["checks"]["database"] == "ok"


@pytest.mark.usefixtures("broker")
def test_the_broker_is_pinged_when_there_is_one(client, redis_proc):
    assert ready(client)[1]["checks"]["broker"] == "ok"
    redis_proc.stop()
    try:
        status, body = ready(client)
    finally:
        redis_proc.start()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == "degraded: Unable to connect to Redis: Connection Error"


def test_media_storage_that_cannot_be_written_is_unready(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    status, body = ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["media"].startswith("unavailable:")


def test_a_database_that_cannot_be_reached_is_unready():
    """A second alias to a port where no PostgreSQL listens: the real driver's failure."""
    connections.settings["unreachable"] = {**connections.settings["default"], "PORT": 1}
    connections.settings["unreachable"]["OPTIONS"] = {
        **connections.settings["default"]["OPTIONS"],
        "host": "127.0.0.1",
        "port": 1,
        "connect_timeout": 2,
    }
    checks = tuple(
        ("database", True, lambda: Database(alias="unreachable"))
        if check[0] == "database"
        else check
        for check in ReadinessView.checks
    )
    view = async_to_sync(ReadinessView.as_view(checks=checks))
    try:
        response = view(RequestFactory().get(READY))
    finally:
        del connections.settings["unreachable"]
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("unavailable:")


def test_an_event_unrelayed_for_an_hour_is_degraded(client, settings):
    settings.RELAY_LAG_DEGRADED_AFTER = 300
    ProgrammeFactory()  # a row of the product, whose creation is not an Event
    event = Event.objects.create(
        verb="programme.created",
        subject_type_id=1,
        subject_id="1",
    )
    Event.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    status, body = ready(client)
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["relay"].startswith("degraded: the oldest unrelayed event is 3")
    Event.objects.filter(pk=event.pk).update(relayed_at=timezone.now())
    assert ready(client)[1]["checks"]["relay"] == "ok"


def test_a_recent_unrelayed_event_is_not_lag(client, settings):
    settings.RELAY_LAG_DEGRADED_AFTER = 300
    Event.objects.create(verb="programme.created", subject_type_id=1, subject_id="1")
    assert ready(client)[1]["checks"]["relay"] == "ok"
