"""A real Celery worker on a real Redis, for the tests of background jobs.

The worker is a separate process: it reads the test database (so tests using it must be
transactional: `@pytest.mark.django_db(transaction=True)`), writes emails to files and
documents under temporary folders shared with the test through the environment."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Worker:
    process: subprocess.Popen
    broker_url: str
    email_dir: Path
    media_root: Path
    log: Path

    def emails(self) -> list[str]:
        """Every message the worker sent, as raw text (one file per batch of messages)."""
        return [p.read_text() for p in sorted(self.email_dir.glob("*.log"))]

    def output(self) -> str:
        return self.log.read_text()


def database_url() -> str:
    db = connection.settings_dict
    # dj-database-url puts a socket directory given as ?host= into OPTIONS.
    host = db["OPTIONS"].get("host") or db["HOST"] or "localhost"
    port = db["OPTIONS"].get("port") or db["PORT"] or 5432
    return f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={port}"


def wait_for_worker(process, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the Celery worker exited before it was ready")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("the Celery worker did not answer a ping in time")


def _reset_connections():
    """Drop pooled broker connections so the next use connects to the broker now set."""
    if app._pool is not None:
        app._pool.force_close_all()
    # kombu keeps pools in a global registry and the app a producer pool: drop them all,
    # or the next test on the same Redis gets a closed pool back.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_proc, settings):
    """The in-process Celery app sends to the real Redis instead of running tasks eagerly."""
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _reset_connections()
    yield url
    app.conf.broker_url, app.conf.task_always_eager = saved
    _reset_connections()


@pytest.fixture
def worker_environment() -> dict[str, str]:
    """More environment for the worker: a test module overrides it (the S3 storage of
    test_documents_storage.py)."""
    return {}


@pytest.fixture
def celery_worker(broker, transactional_db, tmp_path, settings, worker_environment):
    email_dir, media_root = tmp_path / "emails", tmp_path / "media"
    email_dir.mkdir()
    media_root.mkdir()
    settings.MEDIA_ROOT = media_root
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(email_dir)
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(email_dir),
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
        **worker_environment,
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config.celery",
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
    try:
        wait_for_worker(process)
        yield Worker(process, broker, email_dir, media_root, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
