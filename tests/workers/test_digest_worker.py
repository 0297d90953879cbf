"""The daily digest on a real Celery worker and a real Redis: the task run twice (as beat
does every 15 minutes) sends one digest per person and day, with all their notices."""

import datetime
import re
import time

import pytest
from django.utils import timezone

from commissioning.models import Profile
from notifications.digests import send_due_digests_task
from notifications.models import Notice
from tests.notifications.factories import NoticeFactory
from tests.workers.test_reminders_worker import (  # noqa: F401 (a fixture)
    sent_messages,
    worker_reaches_this_test,
)
from workers.models import Notification


def wait_for_digest_tasks(worker, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pattern = r"notifications\.send_due_digests\[[^\]]+\] succeeded"
    while time.monotonic() < deadline:
        if len(re.findall(pattern, worker.output())) >= count:
            return
        assert "raised unexpected" not in worker.output(), worker.output()
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish {count} tasks:\n{worker.output()}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_reaches_this_test")
def test_the_digest_task_run_twice_sends_one_digest_with_every_notice(world, celery_worker):
    person = world.people["officer_a"]
    # Due since midnight UTC today; the notices were made before it.
    Profile.objects.update_or_create(
        person=person, defaults={"time_zone": "UTC", "digest_time": datetime.time(0, 0)}
    )
    notices = [
        NoticeFactory(person=person, about=world.programme_a, delivery="digest") for _ in range(3)
    ]
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(created_at=yesterday)

    send_due_digests_task.delay()
    send_due_digests_task.delay()
    wait_for_digest_tasks(celery_worker, 2)

    sent = sent_messages(celery_worker)
    assert len(sent) == 1, celery_worker.output()
    to, subject = sent[0]
    assert person.email in to
    assert subject == "Din dagliga sammanfattning: 3 aviseringar"  # officer_a reads Swedish
    raw = "".join(celery_worker.emails())
    for notice in notices:
        assert notice.title in raw
    today = timezone.now().date().isoformat()
    assert Notification.objects.filter(key=f"digest:{person.pk}:{today}").count() == 1
    assert not Notice.objects.filter(emailed_at__isnull=True).exists()
