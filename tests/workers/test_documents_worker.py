"""Documents rendered by a real Celery worker on a real Redis: an ordered briefing goes
queued → running → done and downloads as a PDF; a worker killed with SIGKILL mid-render
leaves, after redelivery to a new worker, exactly one document with one file."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from kombu import pools
from pypdf import PdfReader

from config.celery import app
from tests.workers import conftest
from tests.workers.conftest import ROOT, wait_for_worker
from tests.workers.document_factories import (
    PROGRAMME_NAME,
    SWEDISH_COMMENT,
    crowd_comments,
    document_scene,
)
from workers.documents.orders import order_document
from workers.models import Document

pytestmark = pytest.mark.django_db(transaction=True)

# A second worker that takes over unacknowledged messages quickly: Redis hands a message
# that was delivered but never acknowledged (its worker died) to another consumer only
# after the visibility timeout (an hour by default), checked every 10 × 10 s. The setting
# is the test's own, passed to this worker only; production keeps the defaults.
SECOND_WORKER = """
import sys
from config.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


def database_url() -> str:
    """The test database for a worker process. conftest.database_url() reads only HOST and
    PORT, but the throwaway server of tests/postgresql_server.py is reached through a socket
    folder given as OPTIONS["host"], so workers it starts connect to localhost:5432 and fail;
    until it is fixed there, this one is used (patched in below)."""
    db = connection.settings_dict
    options = db.get("OPTIONS", {})
    host = db["HOST"] or options.get("host") or "localhost"
    port = db["PORT"] or options.get("port") or 5432
    return f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={port}"


@pytest.fixture(autouse=True)
def worker_database(monkeypatch):
    monkeypatch.setattr(conftest, "database_url", database_url)
    # conftest's broker fixture closes the app's connection pool after a test, but the pool
    # stays in kombu's global registry, so the next test in this process would be handed
    # the closed pool ("Acquire on closed pool"): empty the registry first.
    pools.reset()
    app.amqp._producer_pool = None


def start_worker(worker, log_name: str) -> subprocess.Popen:
    """A worker like tests/workers/conftest.py's, on the same Redis, database and folders."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": worker.broker_url,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(worker.email_dir),
        "MEDIA_ROOT": str(worker.media_root),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
    }
    log = worker.log.with_name(log_name)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SECOND_WORKER,
                "worker",
                "--queues",
                "default,pdf,followups",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for_worker(process)
    return process


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes: nothing gets to acknowledge or clean up."""
    for child in children_of(process.pid):
        os.kill(child, signal.SIGKILL)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def scene(world, celery_worker):
    document_scene(world)
    return world


def order_briefing(scene) -> Document:
    document, _created = order_document(
        actor=scene.people["officer_a"],
        acting_for=scene.purchaser_a,
        kind=Document.Kind.BRIEFING,
        subject=scene.programme_a,
        language="sv",
    )
    return document


def watch(document: Document, *, until, timeout: float) -> list[tuple[str, int]]:
    """The (status, progress) states seen while polling the row, like an API client."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        state = (document.status, document.progress)
        if not seen or seen[-1] != state:
            seen.append(state)
        if until(document):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"document never reached the state; seen {seen}; error {document.error}")


def stop_worker(process: subprocess.Popen) -> None:
    """Warm shutdown, then kill: what is checked is the document, not how fast a worker
    leaves. (On shutdown kombu restores the messages it holds unacknowledged; with the two
    seconds of visibility this test sets, that has taken more than 30 seconds on a loaded
    machine.)"""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def test_an_ordered_briefing_is_rendered_by_the_worker(scene, celery_worker):
    crowd_comments(scene, 60)  # long enough to be seen running
    document = order_briefing(scene)
    try:
        seen = watch(document, until=lambda d: d.status in ("done", "failed"), timeout=30)
    except AssertionError as error:
        raise AssertionError(celery_worker.output()[-5000:]) from error
    statuses = [status for status, _progress in seen]
    assert statuses[0] == "queued", seen
    assert statuses[-1] == "done", (seen, celery_worker.output())
    assert "running" in statuses
    assert statuses == sorted(statuses, key=["queued", "running", "done"].index)
    progress = [p for _s, p in seen]
    assert progress == sorted(progress)
    assert progress[-1] == 100
    path = Path(celery_worker.media_root) / document.file.name
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(path.read_bytes())).pages
    )
    assert PROGRAMME_NAME in text
    assert SWEDISH_COMMENT in text
    assert document.size == path.stat().st_size
    assert len(document.checksum) == 64


def test_a_worker_killed_mid_render_leaves_one_document_and_one_file(scene, celery_worker):
    crowd_comments(scene, 400)  # a render of several seconds
    document = order_briefing(scene)
    watch(document, until=lambda d: d.status == "running", timeout=60)
    kill_worker(celery_worker.process)
    document.refresh_from_db()
    assert document.status == "running"  # the killed worker left it running

    second = start_worker(celery_worker, "second-worker.log")
    try:
        watch(document, until=lambda d: d.status in ("done", "failed"), timeout=120)
    finally:
        stop_worker(second)
    assert document.status == "done", document.error
    # The message the killed worker never acknowledged was delivered to the new worker.
    second_log = celery_worker.log.with_name("second-worker.log").read_text()
    assert "render_document" in second_log, second_log
    assert "succeeded" in second_log, second_log
    assert Document.objects.count() == 1
    files = list(Path(celery_worker.media_root).rglob("*.pdf"))
    assert [str(p.relative_to(celery_worker.media_root)) for p in files] == [document.file.name]
