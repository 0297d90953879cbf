"""A throwaway PostgreSQL server for the test run, started before Django reads its settings.

Loaded as a pytest plugin (`-p tests.postgresql_server` in pyproject.toml). It wraps
`pytest_load_initial_conftests` so that the server is up and DATABASE_URL points at it before
pytest-django sets Django up. pytest-postgresql is not used because its executor runs initdb
as the current user, and PostgreSQL refuses to run as root, which is what CI runs as; here the
server runs as the `postgres` system user when we are root.

Set DATABASE_URL to a postgres:// URL yourself to run the suite against a server you keep.
"""

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


def start() -> str:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="commissioning-test-pg-"))
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if os.geteuid() == 0:
        server_user = pwd.getpwnam("postgres")
        for path in (root, data, sockets):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        **run,
    )
    # Durability is worth nothing for a database thrown away after the run.
    options = (
        f"-k {sockets} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "start",
            ]
        ),
        **run,
    )
    _server.update(bindir=bindir, root=root, data=data)
    return f"postgres://postgres@/commissioning?host={sockets}"


def stop() -> None:
    if not _server:
        return
    subprocess.run(
        _as_server_user(
            [
                str(_server["bindir"] / "pg_ctl"),
                "-D",
                str(_server["data"]),
                "-m",
                "immediate",
                "stop",
            ]
        ),
        capture_output=True,
    )
    shutil.rmtree(_server["root"], ignore_errors=True)
    _server.clear()


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
