"""The relay's records in the admin: readable, never changed there (each row is the
once-only key of something that happened)."""

import pytest
from django.contrib.auth import get_user_model

from tests.workers.relay_factories import EventFactory
from workers.models import HandlerRun, Notification


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def test_handler_runs_and_notifications_are_listed(admin_client):
    HandlerRun.objects.create(event=EventFactory(), handler="workers.pulses.send_pulses")
    Notification.objects.create(key="action-due:1:2", kind="action_due", email="a@example.org")

    runs = admin_client.get("/admin/workers/handlerrun/")
    notifications = admin_client.get("/admin/workers/notification/")

    assert runs.status_code == 200
    assert b"workers.pulses.send_pulses" in runs.content
    assert notifications.status_code == 200
    assert b"action-due:1:2" in notifications.content


def test_a_notification_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    notification = Notification.objects.create(
        key="action-due:1:2", kind="action_due", email="a@example.org"
    )
    base = "/admin/workers/notification"

    assert admin_client.get(f"{base}/add/").status_code == 403
    assert (
        admin_client.post(f"{base}/{notification.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    response = admin_client.post(
        f"{base}/{notification.pk}/change/", {"key": "changed", "email": "b@example.org"}
    )
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.key == "action-due:1:2"
