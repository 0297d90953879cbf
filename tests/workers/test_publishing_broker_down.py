"""A request that orders work from the broker while Redis is down: the write is answered and
saved, a warning says what was not sent, and ordering again once Redis is back sends it."""

import logging
import socket
import time

import pytest
import redis
from django.test import TestCase

from commissioning.models import Event
from config.celery import app
from tests.workers.conftest import _reset_connections
from tests.workers.document_factories import document_scene
from workers.models import Document
from workers.publishing import BROKER

pytestmark = pytest.mark.django_db


def order_briefing(client, scene):
    return client.post(
        f"/api/v1/programmes/{scene.programme_a.id}/documents/",
        {"kind": "briefing", "language": "sv"},
        format="json",
        HTTP_X_ACTING_FOR=str(scene.purchaser_a.id),
    )


def test_a_document_ordered_while_redis_is_down_is_queued_and_sent_when_ordered_again(
    broker,
    redis_proc,
    world,
    client_for,
    settings,
    tmp_path,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    scene = document_scene(world)
    client = client_for("officer_a")
    queue = redis.Redis(host=redis_proc.host, port=redis_proc.port, db=0)
    queue.delete("pdf")

    redis_proc.stop()
    try:
        with (
            caplog.at_level(logging.WARNING, logger="workers.publishing"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = order_briefing(client, scene)
        assert response.status_code == 202, response.content
        document = Document.objects.get(pk=response.json()["id"])
        assert document.status == Document.Status.QUEUED
        assert any("not sent" in r.getMessage() for r in caplog.records)
    finally:
        redis_proc.start()

    BROKER.down_until = 0.0  # as Outage.RETRY_SECONDS later: the broker is tried again
    with django_capture_on_commit_callbacks(execute=True):
        again = order_briefing(client, scene)
    assert again.status_code == 202
    assert again.json()["id"] == document.pk
    assert queue.llen("pdf") == 1


@pytest.fixture
def hanging_broker():
    """The in-process Celery app sends to a port that takes connections and never answers,
    like a Redis host behind a broken network."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        saved = (app.conf.broker_url, app.conf.task_always_eager)
        app.conf.broker_url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
        app.conf.task_always_eager = False
        _reset_connections()
        yield
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_connections()


def timed_write(client, world, name):
    started = time.monotonic()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/programmes/",
            {"name": name, "language": "sv", "framework": "se_care_choice"},
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        )
    return response, time.monotonic() - started


@pytest.mark.usefixtures("hanging_broker")
def test_a_broker_that_hangs_holds_writes_for_seconds_once_and_then_not_at_all(client_for, world):
    client = client_for("officer_a")
    first, first_took = timed_write(client, world, "First")
    then = [timed_write(client, world, f"Then {n}") for n in range(3)]
    assert first.status_code == 201
    assert all(response.status_code == 201 for response, _took in then)
    # Two attempts of at most the transport's 3 s socket timeout, then nothing while the
    # broker is left alone.
    assert first_took < 10
    assert all(took < 1 for _response, took in then)
    unrelayed = Event.objects.filter(verb="programme.created", relayed_at__isnull=True)
    assert unrelayed.count() == 4
    assert BROKER.fallbacks == 4
