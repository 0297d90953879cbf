"""A request that orders work from the broker while Redis is down: the write is answered and
saved, a warning says what was not sent, and ordering again once Redis is back sends it."""

import logging

import pytest
import redis

from tests.workers.document_factories import document_scene
from workers.models import Document

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

    with django_capture_on_commit_callbacks(execute=True):
        again = order_briefing(client, scene)
    assert again.status_code == 202
    assert again.json()["id"] == document.pk
    assert queue.llen("pdf") == 1
