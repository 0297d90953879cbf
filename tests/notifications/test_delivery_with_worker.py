"""The meetings' notifications from the outside: a real Celery worker process (on the test
Redis and the test database) sends them by SMTP to a real SMTP server (aiosmtpd on a local
port) started here, and the test reads what arrived: the headers, the language, the .ics
part parsed with icalendar (UID stable, SEQUENCE growing, METHOD right), the one-click
unsubscribe headers, and one message per person and occasion when the relay and the sweep
run again and when the worker is killed (SIGKILL) in the middle of a send.

Slow (each worker starts in several seconds): the rules themselves are tested in-process in
test_meeting_notifications.py."""

import datetime
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from commissioning.models import Event
from dialogue.models import Meeting
from dialogue.services.meetings import cancel_meeting, create_meeting, update_meeting
from notifications.models import Notice
from notifications.services.delivery import deliver_pending
from tests.dialogue.factories import ArenaFactory
from tests.workers.conftest import ROOT, broker, database_url, wait_for_worker  # noqa: F401
from tests.workers.test_relay_with_worker import queues_drained, wait_until
from workers import relay
from workers.models import HandlerRun

pytestmark = pytest.mark.django_db(transaction=True)

SITE_URL = "http://dialogue.test:8000"
PROVIDER = "provider_in_a@example.org"
NETWORK = "network_rep@example.org"
WORKER_COMMAND = [
    *(sys.executable, "-m", "celery", "-A", "config.celery", "worker"),
    *("--queues", "default,pdf,followups", "--concurrency", "1", "--pool", "prefork"),
    *("--without-gossip", "--without-mingle", "--loglevel", "INFO"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP server that keeps every message it accepts. It can be told to stall on DATA
    for one address: the message is then neither accepted nor kept until it is released; a
    client that dies meanwhile has sent nothing (aiosmtpd cancels the handler when the
    connection is lost)."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.stall_for: str | None = None
        self.stalling = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.stall_for in envelope.rcpt_tos and not self.release.is_set():
            self.stalling.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[str, email.message.EmailMessage]]:
        with self._lock:
            return [(to, message) for tos, message in self.messages for to in tos]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for to, message in self.received() if to == address]

    def wait_for(self, address: str, count: int, timeout: float = 120.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.to(address)) >= count:
                return self.to(address)
            time.sleep(0.2)
        raise AssertionError(f"{len(self.to(address))} emails to {address}, not {count}")


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.controller.start()
    yield box
    box.release.set()
    box.controller.stop()


class Workers:
    """Real Celery worker processes sending by SMTP to the mailbox, each in its own process
    group so that a SIGKILL takes its pool process with it."""

    def __init__(self, broker_url: str, port: int, log_dir: Path):
        self.env = {
            **os.environ,
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": database_url(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "",
            "DEFAULT_FROM_EMAIL": "dialogue@dialogue.test",
            "SITE_URL": SITE_URL,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
        }
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = (self.log_dir / f"worker-{len(self.processes)}.log").open("w")
        process = subprocess.Popen(
            WORKER_COMMAND,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        # Generous: on a loaded machine a worker takes well over the usual 30 s to start.
        wait_for_worker(process, timeout=120.0)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def output(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def workers(broker, mailbox, tmp_path):  # noqa: F811 (the broker fixture, imported)
    pool = Workers(broker, mailbox.controller.port, tmp_path)
    yield pool
    pool.stop_all()


def calendar_part(message: email.message.EmailMessage) -> tuple[Calendar, str]:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")


def event_of(message) -> tuple[str, str, int, str]:
    """(METHOD of the calendar, METHOD of the MIME part, SEQUENCE, UID)."""
    calendar, part_method = calendar_part(message)
    (event,) = calendar.events
    return str(calendar["METHOD"]), part_method, int(event["SEQUENCE"]), str(event["UID"])


def plan(world, starts_at: datetime.datetime) -> Meeting:
    return create_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        arena=ArenaFactory(purchaser=world.purchaser_a, name="Provider council A").pk,
        title="Provider council, winter",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="Regionens hus, sal 3",
        invitees=[
            {"organisation": world.provider_in_a.pk, "person": world.people["provider_in_a"].pk},
            {"organisation": world.network.pk},
        ],
    )


def emailed_days_ago(days: int) -> None:
    """What has been emailed went out `days` ago (a change the next day is not held for the
    digest by the one-email-a-day rule)."""
    Notice.objects.exclude(emailed_at=None).update(
        emailed_at=timezone.now() - datetime.timedelta(days=days)
    )


def all_emailed() -> bool:
    return not Notice.objects.filter(emailed_at=None, delivery="immediately").exists()


def settle() -> None:
    """Wait until every Event is relayed, every notice to email is emailed and the worker
    has nothing left to do."""
    wait_until(
        lambda: not Event.objects.filter(relayed_at=None).exists() and all_emailed(),
        timeout=120.0,
        message="the relay and the emails",
    )
    wait_until(queues_drained, timeout=120.0, message="the queues to drain")


def test_planned_changed_cancelled_reach_each_invitee_once_with_the_calendar_entry(
    world, mailbox, workers
):
    workers.start()
    starts = timezone.now() + datetime.timedelta(days=10)
    meeting = plan(world, starts)

    (invitation,) = mailbox.wait_for(PROVIDER, 1)
    (network_invitation,) = mailbox.wait_for(NETWORK, 1)
    settle()
    # The headers: from the purchaser, in the person's language (a Swedish provider), with
    # the one-click unsubscribe of its kind and links to the site.
    assert invitation["From"].addresses[0].display_name == "Region A"
    assert invitation["From"].addresses[0].addr_spec == "dialogue@dialogue.test"
    assert invitation["Content-Language"] == "sv"
    assert invitation["Subject"] == "Inbjudan: Provider council, winter"
    unsubscribe = str(invitation["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith(f"<{SITE_URL}/notifications/unsubscribe/")
    assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = invitation.get_body(("plain",)).get_content()
    assert f"{SITE_URL}/meetings/{meeting.pk}/" in text
    assert unsubscribe.strip("<>") in text
    assert invitation.get_body(("html",)) is not None
    assert network_invitation["Content-Language"] == "sv"

    method, part_method, sequence, uid = event_of(invitation)
    assert (method, part_method, sequence) == ("REQUEST", "REQUEST", 0)
    assert uid.startswith(str(meeting.uid))
    assert event_of(network_invitation)[3] == uid

    # Changed two days later: the update, same UID, higher SEQUENCE.
    emailed_days_ago(2)
    update_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        meeting=meeting,
        starts_at=starts + datetime.timedelta(hours=1),
        ends_at=starts + datetime.timedelta(hours=3),
    )
    update = mailbox.wait_for(PROVIDER, 2)[1]
    settle()
    assert update["Subject"] == "Ändrat: Provider council, winter"
    assert event_of(update) == ("REQUEST", "REQUEST", 1, uid)

    # Cancelled: METHOD:CANCEL, same UID, higher SEQUENCE again.
    cancel_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        meeting=meeting,
        reason="Too few could come.",
    )
    cancellation = mailbox.wait_for(PROVIDER, 3)[2]
    mailbox.wait_for(NETWORK, 3)
    settle()
    assert cancellation["Subject"] == "Inställt: Provider council, winter"
    assert event_of(cancellation) == ("CANCEL", "CANCEL", 2, uid)

    # The relay again, with every handler run forgotten (as if each had never run), and the
    # sweep over notices old enough for it: no second email of any occasion.
    HandlerRun.objects.all().delete()
    Event.objects.update(relayed_at=None)
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    for event_id in Event.objects.values_list("pk", flat=True):
        relay.relay_event.delay(event_id)
    deliver_pending.delay()
    settle()
    time.sleep(1)
    sent = Counter((to, message["Subject"]) for to, message in mailbox.received())
    assert sent == {
        (PROVIDER, "Inbjudan: Provider council, winter"): 1,
        (PROVIDER, "Ändrat: Provider council, winter"): 1,
        (PROVIDER, "Inställt: Provider council, winter"): 1,
        (NETWORK, "Inbjudan: Provider council, winter"): 1,
        (NETWORK, "Ändrat: Provider council, winter"): 1,
        (NETWORK, "Inställt: Provider council, winter"): 1,
    }, workers.output()[-3000:]
    assert Notice.objects.count() == 6


def test_a_worker_killed_in_the_middle_of_a_send_leaves_the_email_to_the_sweep_once(
    world, mailbox, workers
):
    """The SMTP server stalls on the DATA of the provider's invitation; the worker is killed
    (SIGKILL, its whole process group) before the server answered. Its transaction dies
    with it: the notice is still unsent. A new worker's sweep sends it, once."""
    first = workers.start()
    mailbox.stall_for = PROVIDER
    plan(world, timezone.now() + datetime.timedelta(days=10))
    assert mailbox.stalling.wait(timeout=120), workers.output()[-3000:]
    workers.kill(first)
    mailbox.release.set()

    connection.close()
    stalled = Notice.objects.get(person=world.people["provider_in_a"])
    assert stalled.emailed_at is None
    assert mailbox.to(PROVIDER) == []

    workers.start()
    # The sweep leaves notices younger than two minutes to their own task: these are older.
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    deliver_pending.delay()
    mailbox.wait_for(PROVIDER, 1)
    settle()
    deliver_pending.delay()
    settle()
    time.sleep(1)
    assert len(mailbox.to(PROVIDER)) == 1
    assert len(mailbox.to(NETWORK)) == 1
    assert all_emailed()
