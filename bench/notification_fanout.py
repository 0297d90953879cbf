"""6,000 notifications of one consultation opened, made, queued, rendered and handed to a real
SMTP server by real Celery workers, each exactly once.

A consultation of one purchaser invites 3,000 providers with 2 representatives each. The
benchmark opens it through the real service (dialogue.services.consultations
.open_consultation): the Event is published at commit to a Redis of its own, a Celery worker
process (the production topology: `celery worker`, prefork, on this Redis and this
PostgreSQL) relays it, the consultation-opened handler makes the 6,000 notices and queues
their delivery in chunks, and the worker renders each email (plain text + HTML, in the
person's language) and hands it to an SMTP server (aiosmtpd, in a thread of this process,
counting messages per recipient). The clock runs from the call to the service until the
SMTP server holds 6,000 messages. Then the Event is relayed again, every chunk's delivery
task is sent again (a task delivered twice) and the sweep runs: none may send anything more.

The floor, in the same run: the same 6,000 emails composed (notifications.services.delivery
.email_of) and sent over one SMTP connection to the same server by this one process, with
no notice written, no relay and no queue.

    uv run python bench/notification_fanout.py [--organisations 3000] [--people 2] [--workers 2]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end; Redis (redis-server) and the SMTP server are started here too. Not
part of the test suite.
"""

import collections
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated

import harness
from aiosmtpd.controller import Controller
from harness import ROOT, Row

TARGET_SECONDS = 60.0
WAIT_SECONDS = 300.0
QUEUES = "default,followups"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.05) -> float:
    """Poll until `condition()` is true; the moment it was (perf_counter)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


class Mailbox:
    """An SMTP server that counts what it receives, per recipient (no parsing: it must not
    be the slow part)."""

    def __init__(self):
        self.received: collections.Counter = collections.Counter()
        self.messages = 0
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages += 1
            self.received.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self._lock:
            return self.messages

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.messages = 0


class Redis:
    """A redis-server of its own on a free port, without persistence."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(root)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=15, what="Redis to answer")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def idle(self) -> bool:
        """Nothing queued and nothing taken but unacknowledged (kombu's `unacked` hash)."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        queued = sum(client.llen(name) for name in QUEUES.split(","))
        return queued == 0 and client.hlen("unacked") == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


# The servers of this run, started before Django reads its settings.
SERVERS: dict = {}


def start_worker(concurrency: int, log: Path) -> subprocess.Popen:
    """A Celery worker process as production runs it, on this run's Redis and database."""
    with log.open("w") as out:
        return subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "config.celery", "worker"),
                *("--queues", QUEUES, "--concurrency", str(concurrency), "--pool", "prefork"),
                *("--without-gossip", "--without-mingle", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _prepare(organisations: int, people: int):
    """A scheduled consultation on a draft rulebook version of one programme, inviting
    `organisations` providers of the programme with `people` representatives each
    (bulk-created: no password hashing to measure), and the purchaser's manager."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from commissioning.models import Membership, Organisation, Participation, Programme
    from contracts.models import Rulebook, RulebookVersion
    from dialogue.models import Consultation, ConsultationInvitation

    harness.migrate()
    stamp = str(int(time.time() * 1000))
    purchaser = Organisation.objects.create(
        name=f"Bench region {stamp}", kind=Organisation.Kind.PURCHASER, country="SE"
    )
    person = get_user_model()
    manager = person.objects.create(username=f"bench-manager-{stamp}", email="m@example.org")
    Membership.objects.create(person=manager, organisation=purchaser, role=Membership.Role.MANAGER)
    programme = Programme.objects.create(
        purchaser=purchaser, name="Vårdval bench", language="sv", time_zone="Europe/Stockholm"
    )
    rulebook = Rulebook.objects.create(programme=programme, title="Regelbok")
    version = RulebookVersion.objects.create(
        rulebook=rulebook, number=1, status=RulebookVersion.Status.DRAFT
    )
    providers, _persons = harness.providers_with_representatives(organisations, people, stamp)
    Participation.objects.bulk_create(
        Participation(programme=programme, organisation=o) for o in providers
    )
    now = timezone.now()
    consultation = Consultation.objects.create(
        purchaser=purchaser,
        programme=programme,
        rulebook_version=version,
        title="Remiss av regelbok 2027",
        opens_at=now + datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    ConsultationInvitation.objects.bulk_create(
        ConsultationInvitation(consultation=consultation, organisation=o) for o in providers
    )
    return consultation, manager, purchaser


def _emails_alone(notices, consultation) -> float:
    """The floor: the same emails composed and sent over one SMTP connection, alone."""
    from django.core import mail

    from notifications.services.delivery import email_of

    email_of(notices[0], consultation)  # warm: the URL conf and the templates load once
    began = time.perf_counter()
    with mail.get_connection() as connection:
        for notice in notices:
            message = email_of(notice, consultation)
            message.connection = connection
            message.send()
    return time.perf_counter() - began


def _again(consultation, event, redis: Redis) -> None:
    """The Event relayed again, every chunk's delivery task sent again, and the sweep."""
    from commissioning.models import Event
    from notifications.models import Notice
    from notifications.services.delivery import CHUNK, deliver, deliver_pending
    from workers.relay import relay_event

    Event.objects.filter(pk=event.pk).update(relayed_at=None)
    relay_event.delay(event.pk)
    ids = list(
        Notice.objects.filter(key__startswith=f"consultation-opened:{consultation.pk}:")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        deliver.delay(ids[start : start + CHUNK])
    deliver_pending.delay()
    time.sleep(1)
    wait_until(redis.idle, timeout=WAIT_SECONDS, what="the workers to finish", interval=0.2)
    time.sleep(1)


def measure(
    *,
    organisations: int = 3000,
    people: Annotated[int, "representatives per organisation"] = 2,
    workers: Annotated[int, "worker processes (prefork concurrency)"] = 2,
) -> list[Row]:
    """Open the consultation and wait for the SMTP server; then the re-runs; then the floor.
    Django must be set up on this run's Redis and SMTP server (main does)."""
    from commissioning.models import Event
    from dialogue.services.consultations import open_consultation
    from notifications.models import Notice
    from workers.models import Notification

    mailbox, redis = SERVERS["mailbox"], SERVERS["redis"]
    expected = organisations * people
    consultation, manager, purchaser = _prepare(organisations, people)
    log = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "worker.log"
    worker = start_worker(workers, log)
    try:
        from config.celery import app

        wait_until(lambda: app.control.ping(timeout=0.5), timeout=60, what="the worker")
        mailbox.reset()
        wall = time.time()
        began = time.perf_counter()
        open_consultation(actor=manager, acting_for=purchaser, consultation=consultation)
        done = wait_until(
            lambda: mailbox.count() >= expected, timeout=WAIT_SECONDS, what="6,000 emails"
        )
        seconds = done - began
        event = Event.objects.get(verb="consultation.opened", subject_id=str(consultation.pk))
        _again(consultation, event, redis)
    finally:
        stop_worker(worker)
    received, messages = collections.Counter(mailbox.received), mailbox.count()
    prefix = f"consultation-opened:{consultation.pk}:"
    notices = list(
        Notice.objects.filter(key__startswith=prefix)
        .select_related("person", "organisation")
        .order_by("pk")
    )
    claimed = Notification.objects.filter(key__startswith=f"notice:{prefix}").count()
    made = max(n.created_at for n in notices).timestamp() - wall if notices else 0.0
    mailbox.reset()
    alone = _emails_alone(notices, consultation)
    floor_ok = mailbox.count() == expected
    once = len(notices) == claimed == messages == len(received) == expected and set(
        received.values()
    ) == {1}
    return [
        *_rows(expected, seconds, alone, len(notices), claimed, messages, received, once),
        Row("  of which: the notices made (s after the open; diagnostic)", f"{made:.2f}"),
        Row("fan-out: floor emails received", str(mailbox.count()), "", str(expected), floor_ok),
    ]


def _rows(expected, seconds, alone, notices, claimed, messages, received, once) -> list[Row]:
    count = str(expected)
    most = max(received.values(), default=0)
    return [
        Row(
            f"fan-out: seconds for {expected} notices to SMTP, Celery on Redis "
            "(floor: emails composed and sent alone)",
            f"{seconds:.2f}",
            f"{alone:.2f}",
            f"<= {TARGET_SECONDS:.0f}",
            seconds <= TARGET_SECONDS,
        ),
        Row(
            "fan-out: emails/s",
            f"{expected / seconds:.0f}" if seconds else "0",
            f"{expected / alone:.0f}" if alone else "0",
            f">= {expected / TARGET_SECONDS:.0f}",
            seconds <= TARGET_SECONDS,
        ),
        Row("fan-out: notices made", str(notices), "", count, notices == expected),
        Row(
            "fan-out: sent-once claims (Notification rows)",
            str(claimed),
            "",
            count,
            claimed == expected,
        ),
        Row("fan-out: messages at the SMTP server", str(messages), "", count, messages == expected),
        Row(
            "fan-out: distinct recipients", str(len(received)), "", count, len(received) == expected
        ),
        Row("fan-out: most messages to one recipient", str(most), "", "1", most == 1),
        Row(
            "fan-out: sent exactly once (after relay, tasks and sweep again)",
            "yes" if once else "no",
            "",
            "yes",
            once,
        ),
    ]


def main() -> int:
    root = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    mailbox = Mailbox()
    mailbox.controller.start()
    redis = Redis(root)
    SERVERS.update(mailbox=mailbox, redis=redis)
    try:
        return harness.run_alone(
            __doc__,
            "notification fan-out: a consultation opened to SMTP by Celery workers on Redis",
            measure,
            quiet=("celery", "kombu", "mail.log"),
            CELERY_BROKER_URL=redis.url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(mailbox.controller.port),
            EMAIL_USE_TLS="0",
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        )
    finally:
        redis.stop()
        mailbox.controller.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
