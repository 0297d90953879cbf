"""The daily reminders job on a real Celery worker and a real Redis: run twice, it sends each
email once and marks a missed milestone once."""

import datetime
import email
import email.policy
import re
import time

import kombu.pools
import pytest
from django.db import connection
from django.utils import timezone

from commissioning.models import Event, Milestone
from config.celery import app
from tests.workers import conftest as worker_conftest
from tests.workers.reminder_factories import (
    ActionItemFactory,
    ArenaFactory,
    MeetingFactory,
    MilestoneFactory,
)
from workers.models import Notification
from workers.reminders.jobs import REMINDERS, send_due_reminders

# One send_due_reminders and one task per kind, per run.
TASKS_PER_RUN = 1 + len(REMINDERS)


@pytest.fixture
def worker_reaches_this_test(monkeypatch):
    """Two workarounds for tests/workers/conftest.py, reported to the lead:

    - the worker must reach the test database where the test process does. The throwaway
      server listens on a Unix socket that dj-database-url puts in OPTIONS["host"], which
      conftest.database_url() does not read (it falls back to localhost:5432);
    - the `broker` fixture force-closes the app's connection pool but leaves it in kombu's
      global registry of pools (and in the app's producer pool), so the next test that uses
      the same Redis gets the closed pool back and pinging the worker fails with "Acquire on
      closed pool". Resetting the registry and the app's pools, before and after, lets Celery
      make new ones.
    """

    def database_url() -> str:
        db = connection.settings_dict
        host = db["OPTIONS"].get("host") or db["HOST"] or "localhost"
        port = db["OPTIONS"].get("port") or db["PORT"] or 5432
        return f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={port}"

    monkeypatch.setattr(worker_conftest, "database_url", database_url)
    forget_broker_pools()
    yield
    forget_broker_pools()


def forget_broker_pools() -> None:
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def wait_for_tasks(worker, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = len(re.findall(r"workers\.reminder_tasks\.\w+\[[^\]]+\] succeeded", worker.output()))
        if done >= count:
            return
        assert "raised unexpected" not in worker.output(), worker.output()
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish {count} tasks:\n{worker.output()}")


def sent_messages(worker) -> list[tuple[str, str]]:
    """(To, Subject) of every message the worker wrote, read with the email parser: names
    with accents are encoded and long headers folded, which a line regex misses."""
    messages = []
    for batch in worker.emails():
        for raw in batch.split("-" * 79):
            if not raw.strip():
                continue
            message = email.message_from_string(raw.strip("\n"), policy=email.policy.default)
            if message["To"] and message["Subject"]:
                messages.append((str(message["To"]), str(message["Subject"])))
    return messages


@pytest.mark.django_db(transaction=True)
def test_the_reminders_job_run_twice_sends_each_email_once(
    world, worker_reaches_this_test, celery_worker
):
    today = timezone.localdate()
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    ActionItemFactory(
        meeting=meeting,
        owner_organisation=world.provider_in_a,
        title="Skicka väntetidsstatistik",
        due_date=today - datetime.timedelta(days=1),
    )
    MilestoneFactory(programme=world.programme_a, due_date=today + datetime.timedelta(days=7))
    missed = MilestoneFactory(
        programme=world.programme_a, due_date=today - datetime.timedelta(days=2)
    )

    send_due_reminders.delay()
    wait_for_tasks(celery_worker, TASKS_PER_RUN)
    first = sent_messages(celery_worker)
    send_due_reminders.delay()
    wait_for_tasks(celery_worker, 2 * TASKS_PER_RUN)
    second = sent_messages(celery_worker)

    assert first, celery_worker.output()
    assert second == first
    assert len(set(first)) == len(first) == Notification.objects.count()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    # The overdue action, the milestone due in a week, and the relationships that never met.
    assert {"action_overdue", "milestone_due", "relationship_silent"} <= kinds
    assert any("provider_in_a@example.org" in to for to, _subject in first)
    missed.refresh_from_db()
    assert missed.status == Milestone.Status.MISSED
    assert Event.objects.filter(verb="milestone.missed", subject_id=str(missed.id)).count() == 1
