"""A throwaway PostgreSQL server for the test run, started before Django reads its settings.

Loaded as a pytest plugin (`-p tests.postgresql_server` in pyproject.toml). It wraps
`pytest_load_initial_conftests` so that the server is up and DATABASE_URL points at it before
pytest-django sets Django up. pytest-postgresql is not used because its executor runs initdb
as the current user, and PostgreSQL refuses to run as root, which is what CI runs as; here the
server runs as the `postgres` system user when we are root.

Set DATABASE_URL to a postgres:// URL yourself to run the suite against a server you keep.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_server: dict = {}


def _bindir() -> Path:
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    if shutil.which("pg_ctl"):
        candidates.append(str(Path(shutil.which("pg_ctl")).resolve().parent))
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise pytest.UsageError(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them "
        "(Debian: apt-get install postgresql) or set PG_BINDIR; `make test` does this as root."
    )


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Cluster:
    """One throwaway PostgreSQL cluster in a folder of its own, reached through a socket in
    that folder. The test session has one (`start()` below); tests/production starts another
    that it may stop and start again without touching the session's database."""

    def __init__(self, prefix: str = "commissioning-test-pg-"):
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.data, self.sockets = self.root / "data", self.root / "sockets"

    def _run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_server_user([str(self.bindir / command[0]), *command[1:]]),
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def init(self) -> "Cluster":
        self.data.mkdir()
        self.sockets.mkdir()
        if os.geteuid() == 0:
            server_user = pwd.getpwnam("postgres")
            for path in (self.root, self.data, self.sockets):
                os.chown(path, server_user.pw_uid, server_user.pw_gid)
        self._run(
            [
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        return self

    def start(self) -> None:
        # Durability is worth nothing for a database thrown away after the run.
        options = (
            f"-k {self.sockets} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        log = str(self.root / "log")
        self._run(["pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start"])

    def stop(self, mode: str = "immediate") -> None:
        self._run(["pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"])

    def create_database(self, name: str) -> str:
        self._run(["createdb", "-h", str(self.sockets), "-U", "postgres", name])
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@/{name}?host={self.sockets}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> str:
    cluster = Cluster().init()
    cluster.start()
    _server["cluster"] = cluster
    return cluster.url("commissioning")


def stop() -> None:
    cluster = _server.pop("cluster", None)
    if cluster is not None:
        cluster.remove()


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
    os.environ.setdefault("DEBUG", "0")
    # Far above what any test sends (the fuzzing sends thousands of writes as one person);
    # the throttles themselves are tested in tests/hardening/ with their own rates.
    for rate in ("THROTTLE_USER_WRITES", "THROTTLE_ANON_WRITES", "THROTTLE_PULSE"):
        os.environ.setdefault(rate, "1000000/minute")
    # Documents rendered during the run go to a folder thrown away with the run.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="commissioning-test-media-"))
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        try:
            os.environ["DATABASE_URL"] = start()
        except subprocess.CalledProcessError as exc:
            raise pytest.UsageError(
                f"Could not start a PostgreSQL server for the tests: {exc.stderr or exc}"
            ) from exc
    return (yield)


def pytest_unconfigure(config):
    stop()
