"""The README's production topology, started for real from the README's own commands.

`readme_commands()` reads the code blocks of the README's "Running in production" section;
`Topology` runs them in order, as written, on a PostgreSQL cluster, a Redis server and an SMTP
server of its own, in a virtualenv of its own made by the section's `uv sync --frozen
--no-dev` (UV_PROJECT_ENVIRONMENT), so the test run's own environment is never touched. The
only changes to the written commands are in `SUBSTITUTIONS` (one port, fewer processes on a
test machine) and `FILLED_IN` (the test's values where the README writes `…`, and the test's
SMTP server); each must match the README, so the test breaks when the README changes.

The servers are stopped and started again by the fault tests (tests/production/test_faults.py);
every process started here is ended by its own id (its process group) at the end.
"""

import email
import email.policy
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

from tests.postgresql_server import Cluster

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Running in production"

# Where the README writes `…` (or a value that names the operator's own server), the test's
# value. {name} is filled from the topology.
FILLED_IN = {
    "SECRET_KEY": "production-test-9d1c6b0e7a54f3e2b8c4a1d0f6e5b3a2c7d9e8f1",
    "DATABASE_URL": "{database_url}",
    "CELERY_BROKER_URL": "redis://127.0.0.1:{redis_port}/0",
    "REDIS_CACHE_URL": "redis://127.0.0.1:{redis_port}/1",
    "EMAIL_HOST": "127.0.0.1",
    # The test's SMTP server listens on a free port, without TLS and without sign-in.
    "EMAIL_PORT": "{smtp_port}",
    "EMAIL_USE_TLS": "0",
    "EMAIL_HOST_USER": "",
    "EMAIL_HOST_PASSWORD": "",
    "DEFAULT_FROM_EMAIL": "dialogue@dialogue.example.org",
    "STATIC_ROOT": "{root}/static",
    "MEDIA_ROOT": "{root}/media",
}

# Written → run: one free port, and fewer processes than a production server has.
SUBSTITUTIONS = {
    "--workers 4": "--workers 2",
    "--bind 0.0.0.0:8000": "--bind 127.0.0.1:{web_port}",
    "--concurrency 4": "--concurrency 1",
    "--concurrency 2": "--concurrency 1",
}

# createsuperuser asks on a terminal; the test has none and answers through Django's
# DJANGO_SUPERUSER_* variables.
SUPERUSER = {
    "DJANGO_SUPERUSER_USERNAME": "operator",
    "DJANGO_SUPERUSER_EMAIL": "operator@dialogue.example.org",
    "DJANGO_SUPERUSER_PASSWORD": "operator-password-4f7c1a",
}

# The servers, by their program and subcommand wherever the README puts them.
LONG_RUNNING = re.compile(r" (gunicorn|celery -A config\.celery (worker|beat)) ")
BY_HAND = "celery -A config.celery call"

# What each long-running process prints once it serves.
READY = {
    "gunicorn": "Booting worker",
    "worker": " ready.",
    "beat": "beat: Starting...",
}


@dataclass
class Command:
    written: str
    run: str = ""
    kind: str = "once"  # once, long (a server) or by hand (the sweeps)
    env: dict = field(default_factory=dict)


def readme_section() -> str:
    text = README.read_text()
    start = text.index(SECTION + "\n")
    end = text.index("\n### ", start)
    return text[start:end]


def readme_blocks() -> list[list[str]]:
    """The lines of each ```sh block of the section, comments and blank lines kept."""
    return [
        block.strip("\n").splitlines()
        for block in re.findall(r"```sh\n(.*?)```", readme_section(), flags=re.S)
    ]


def readme_exports() -> dict[str, str]:
    """name → the value the README writes."""
    exports = {}
    for line in readme_blocks()[0]:
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            exports.update(word.split("=", 1) for word in words[1:])
    return exports


def readme_commands() -> list[Command]:
    commands = []
    for line in (line for block in readme_blocks() for line in block):
        words = shlex.split(line, comments=True)
        if not words or words[0] == "export":
            continue
        command = " ".join(words)
        kind = "once"
        if LONG_RUNNING.search(f" {command} "):
            kind = "long"
        elif BY_HAND in command:
            kind = "by hand"
        commands.append(Command(written=line, run=command, kind=kind))
    return commands


def readme_environment(**values) -> dict[str, str]:
    """The README's exports, with FILLED_IN's values (formatted with `values`) where the
    README leaves the value to the operator."""
    env = {}
    for name, written in readme_exports().items():
        if name in FILLED_IN:
            env[name] = FILLED_IN[name].format(**values)
        else:
            assert "…" not in written, f"The README leaves {name} open: add it to FILLED_IN"
            env[name] = written
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"Waited {timeout:.0f} s for {what}")
        time.sleep(interval)


# --- the servers the topology needs ------------------------------------------------------


class Redis:
    """A redis-server of its own on a free port, without persistence: stopped, it loses what
    was queued, as a crashed Redis does."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.root = root
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.root)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.answers, timeout=15, what="Redis to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class Message:
    to: tuple[str, ...]
    subject: str
    # The whole message as received, for the tests that read its headers and parts.
    content: bytes = b""


class Mailbox:
    """An SMTP server (aiosmtpd) that keeps what it receives, to count it."""

    def __init__(self):
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(
                Message(tuple(envelope.rcpt_tos), str(parsed["Subject"]), envelope.content)
            )
        return "250 Message accepted for delivery"

    def received(self) -> list[Message]:
        with self._lock:
            return list(self.messages)


# --- HTTP, as the proxy that ends TLS would send it ----------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class Client:
    """Plain HTTP to gunicorn with the headers the README's proxy sets (Host, X-Forwarded-
    Proto, X-Forwarded-For): the test stands where that proxy stands."""

    def __init__(self, port: int, host: str, *, address: str = "203.0.113.10", token=None):
        self.port, self.host, self.address, self.token = port, host, address, token

    def request(self, method: str, path: str, body=None, *, acting_for=None, timeout=30):
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept": "application/json",
        }
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if acting_for is not None:
            headers["X-Acting-For"] = str(acting_for)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def signed_in(self, username: str, password: str, address: str) -> "Client":
        answer = Client(self.port, self.host, address=address).post(
            "/api/v1/auth/token/", {"username": username, "password": password}
        )
        assert answer.status == 200, (answer.status, answer.body[:300])
        return Client(self.port, self.host, address=address, token=answer.json()["token"])


# --- the topology -------------------------------------------------------------------------

# The README runs each long-running command under a supervisor that starts it again when it
# exits (systemd's Restart=always, a container platform's restart policy); the topology does
# what such a supervisor does, and says so in the server's log so a test can count it.
RESTARTED = "[supervisor] exited; starting it again"
SUPERVISED = (
    "trap 'kill -TERM $child 2>/dev/null; wait $child; exit 0' TERM; "
    "while :; do {command} & child=$!; wait $child; "
    f'echo "{RESTARTED} (status $?)"; sleep 1; done'
)


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        found += children
        frontier += children
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def is_gunicorn(pid: int) -> bool:
    """A gunicorn process itself, not the uv that started it (whose command names it)."""
    words = command_line(pid).split()
    return bool(words) and Path(words[0]).name != "uv" and "gunicorn" in command_line(pid)


class Topology:
    """PostgreSQL, Redis and SMTP of its own, then every command of the README's production
    section in order: the one-shot ones run to the end (each result kept in `ran`), the
    long-running ones (gunicorn, the Celery workers, beat) started and waited for until they
    serve. The demo data is loaded (as `make demo` loads it: its follow-ups in-process) after
    the README's one-shot commands and before the servers start."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="commissioning-production-"))
        self.web_port = free_port()
        self.cluster = Cluster(prefix="commissioning-production-pg-").init()
        self.redis = Redis(self.root)
        self.mailbox = Mailbox()
        self.ran: list[tuple[Command, subprocess.CompletedProcess]] = []
        self.servers: dict[str, subprocess.Popen] = {}
        self.venv = self.root / "venv"
        self.database_url = ""
        self.env: dict[str, str] = {}

    # The values the README leaves to the operator.
    def values(self) -> dict[str, str]:
        return {
            "database_url": self.database_url,
            "redis_port": self.redis.port,
            "smtp_port": self.mailbox.port,
            "web_port": self.web_port,
            "root": self.root,
        }

    def environment(self) -> dict[str, str]:
        """Only what the README exports (filled in), and what uv and the shell need."""
        return {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "UV_PROJECT_ENVIRONMENT": str(self.venv),
            **readme_environment(**self.values()),
        }

    def start(self) -> "Topology":
        self.cluster.start()
        self.database_url = self.cluster.create_database("dialogue")
        self.redis.start()
        self.mailbox.controller.start()
        self.env = self.environment()
        commands = readme_commands()
        servers = [c for c in commands if c.kind == "long"]
        for command in (c for c in commands if c.kind == "once"):
            self.run_once(command)
        self.load_demo_data()
        for command in servers:
            self.start_server(command)
        self.wait_until_serving()
        return self

    def substituted(self, command: Command) -> str:
        run = command.run
        for written, used in SUBSTITUTIONS.items():
            if written in run:
                run = run.replace(written, used.format(**self.values()))
        return run

    def run_once(self, command: Command) -> subprocess.CompletedProcess:
        run, env = self.substituted(command), dict(self.env)
        if run.endswith("manage.py createsuperuser"):
            run += " --no-input"
            env.update(SUPERUSER)
        command.run = run
        result = self.run_shell(run, env)
        self.ran.append((command, result))
        assert result.returncode == 0, f"{command.written}\n{result.stdout}\n{result.stderr}"
        return result

    def run_shell(self, line: str, env=None, timeout: float = 300) -> subprocess.CompletedProcess:
        """One command to its end; if it outlives `timeout`, it and every process it started
        are ended (its own process group)."""
        process = subprocess.Popen(
            ["bash", "-c", line],
            cwd=ROOT,
            env=env or self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(line, process.returncode, stdout, stderr)

    def manage(self, *args: str, env=None) -> subprocess.CompletedProcess:
        result = self.run_shell(
            shlex.join(["uv", "run", "--no-sync", "python", "manage.py", *args]), env
        )
        assert result.returncode == 0, f"manage.py {args}\n{result.stdout}\n{result.stderr}"
        return result

    def load_demo_data(self) -> None:
        # As `make demo` loads it: the year of history's follow-ups run in-process (no
        # broker), into memory, so the servers start with every demo event relayed.
        env = {k: v for k, v in self.env.items() if k != "CELERY_BROKER_URL"}
        self.demo_output = self.manage("load_demo_data", env=env).stdout

    def server_name(self, command: Command) -> str:
        if "gunicorn" in command.run:
            return "gunicorn"
        if " beat" in command.run:
            return "beat"
        queues = re.search(r"-Q (\S+)", command.run).group(1)
        return f"worker {queues}"

    def start_server(self, command: Command) -> None:
        command.run = self.substituted(command)
        name = self.server_name(command)
        log = (self.root / f"{name.replace(' ', '-')}.log").open("w")
        self.servers[name] = subprocess.Popen(
            ["bash", "-c", SUPERVISED.format(command=command.run)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.ran.append((command, None))

    def log(self, name: str) -> str:
        path = self.root / f"{name.replace(' ', '-')}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_until_serving(self) -> None:
        for name in self.servers:
            marker = READY["gunicorn" if name == "gunicorn" else name.split()[0]]
            wait_until(
                lambda name=name, marker=marker: marker in self.log(name) or self.died(name),
                timeout=90,
                what=f"{name} to start",
            )
            assert not self.died(name), f"{name} stopped:\n{self.log(name)[-3000:]}"
        # The readiness probe a load balancer would ask (database, media, cache, broker, relay).
        wait_until(
            lambda: self.readiness()[0] == 200 if self.port_open() else False,
            timeout=60,
            what="gunicorn to answer ready",
        )

    def died(self, name: str) -> bool:
        return self.servers[name].poll() is not None or self.restarts(name) > 0

    def restarts(self, name: str) -> int:
        """How often the supervisor started `name` again after it exited."""
        return self.log(name).count(RESTARTED)

    def port_open(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.web_port), timeout=1).close()
            return True
        except OSError:
            return False

    def readiness(self) -> tuple[int, str]:
        """The status code and the status word of /health/ready/."""
        answer = self.client().get("/health/ready/", timeout=10)
        try:
            return answer.status, answer.json().get("status", "")
        except ValueError:
            return answer.status, answer.body[:100].decode(errors="replace")

    def host(self) -> str:
        return self.env["ALLOWED_HOSTS"].split(",")[0]

    def client(self, address: str = "203.0.113.10") -> Client:
        return Client(self.web_port, self.host(), address=address)

    def gunicorn_workers(self) -> set[int]:
        """The worker processes: children of gunicorn's master (the supervisor's loop runs
        uv, which runs the master)."""
        below = descendants(self.servers["gunicorn"].pid)
        master = max(
            (pid for pid in below if is_gunicorn(pid)),
            key=lambda pid: len(descendants(pid)),
        )
        return {pid for pid in descendants(master) if "gunicorn" in command_line(pid)}

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as db:
            return db.execute(query, params).fetchall()

    def by_hand(self, words: str) -> subprocess.CompletedProcess:
        """Run the README's command (from its second block) that contains `words`."""
        (command,) = [c for c in readme_commands() if c.kind == "by hand" and words in c.run]
        result = self.run_shell(command.run)
        self.ran.append((command, result))
        return result

    def stop(self) -> None:
        for process in self.servers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.servers.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.redis.stop()
        self.mailbox.controller.stop()
        self.cluster.remove()
        shutil.rmtree(self.root, ignore_errors=True)
