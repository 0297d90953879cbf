"""Schemathesis against a live server over HTTP, as the README's "Running in production" runs
it: gunicorn with 2 workers, DEBUG off with a SECRET_KEY, on PostgreSQL, the throttles' cache
and the Celery broker on one Redis. Four roles (purchaser A's manager, the provider in A, A's
politician, an anonymous caller) send what Schemathesis generates from the API's own schema,
valid and invalid, checked by every one of its checks, `positive_data_acceptance` and
`negative_data_rejection` included.

The data is the authorization matrix's scene, committed (the server is another process), and
the database is put back as it was when the module ends. Writes are real: the scene changes
as the run goes (a contract moves on, a consultation closes), always in the same order.

Each failure is counted per role and either excused (EXCUSES: the check, the status and the
words of the answer, and why that answer is right) or not; the last test prints the counts
per role as a table and fails on any failure not excused, and on any 5xx. Deterministic
(Hypothesis derandomised, a fixed seed, no example database)."""

import collections
import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import schemathesis
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.core.failures import FailureGroup

from accounts.services.tokens import create_api_token
from tests.authorization.endpoints import api_schema
from tests.authorization.scene import build
from tests.test_api_fuzzing import as_role
from tests.workers.conftest import database_url

# The test database must exist (pytest-django creates it for marked tests only); each test
# then runs in a transaction of the test process that it never uses: the server has its own.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
ROLES = ["manager_a", "provider_in_a", "politician_a", "anonymous"]
SEED = 20261205
EXAMPLES_PER_OPERATION = 4
REDIS_DB = 7  # the run's own Redis database, emptied at the end

POSITIVE = "positive_data_acceptance"
NEGATIVE = "negative_data_rejection"
STATUS = "status_code_conformance"


@dataclasses.dataclass(frozen=True)
class Excuse:
    """A failure of `check` whose answer is right: `status`, with an error message matching
    `message` (a regular expression, searched in the answer's `error.message`, or in the body
    when it is not JSON), on `operations` ("METHOD path") or any. `why` is the closing note's
    line. A 5xx is never excused."""

    name: str
    why: str
    check: str
    status: int
    message: str
    operations: frozenset = frozenset()

    def covers(self, check: str, operation: str, status: int, message: str) -> bool:
        return (
            check == self.check
            and status == self.status
            and (not self.operations or operation in self.operations)
            and re.search(self.message, message) is not None
        )


EXCUSES = [
    Excuse(
        "id not visible",
        "a body id no row the caller may see has: ids are resolved through the policy "
        "(fields.VisibleId); the schema cannot know what exists or who sees it",
        POSITIVE,
        400,
        r"No [\w ]+ with the id -?\d+ that you can see\.",
    ),
    Excuse(
        "filter id not visible",
        "an id filter naming no row the caller may see: filters choose among visible rows "
        "(VisibleFilterSet), a hidden id answering as a missing one",
        POSITIVE,
        400,
        r"^The request has invalid fields.*: Select a valid choice\. That choice is not one "
        r"of the available choices\.$",
    ),
    Excuse(
        "wrong credentials",
        "a user name and password that match no person: the token endpoint's 400",
        POSITIVE,
        400,
        r"^That user name and password do not match an account\.",
        frozenset({"POST /api/v1/auth/token/"}),
    ),
    Excuse(
        "rule across fields",
        "a rule between fields JSON Schema cannot say: exactly one scope, an arena or a "
        "programme, one document to consult on, a link's address, a reason for a decision, "
        "the organisation-admin right for a provider's representative only, each kind of "
        "notification named once in a list of settings, a kind that is always emailed at once",
        POSITIVE,
        400,
        r"Give exactly one scope|A meeting belongs to an arena or a programme|Name one "
        r"document to consult on|Link evidence needs the address|Give a reason: the provider"
        r"|The organisation-admin right is for a provider organisation|Name each kind once"
        r"|are always emailed at once",
    ),
    Excuse(
        "rule on stored state",
        "a rule on what is stored: a meeting not yet held, a day that is not the "
        "obligation's due date, a party that is not a provider, a concern outside a "
        "relationship, another version of the same rulebook, a close before the opening, "
        "a change to a signed contract (an amendment, which needs its change summary), a "
        "currency emptied while the terms it merges into keep a value, a role the invited "
        "organisation's kind has not, a provider's first representative without the admin "
        "right",
        POSITIVE,
        400,
        r"is planned; log it as held first|is not a due date of this obligation|Only "
        r"providers and provider networks are parties|A concern is raised with the other "
        r"side of a relationship|another version of the same rulebook|must close after it "
        r"opens|a change summary is required|A value needs its currency|: invite people to "
        r"it as |is its organisation admin, who then invites",
    ),
    Excuse(
        "file not a rulebook",
        "a file the rulebook import cannot read (a PNG, random bytes, no numbered clause): "
        "the schema says binary; what the bytes are is the readers' judgement "
        "(contracts/interchange/files.py)",
        POSITIVE,
        400,
        r"is not a file this import reads|could not be read as a Word|is not UTF-8 text"
        r"|No numbered clause was found in",
        frozenset(
            {"POST /api/v1/rulebooks/{id}/import/", "POST /api/v1/rulebooks/{id}/import/preview/"}
        ),
    ),
    Excuse(
        "time in the past",
        "a date that must be in the future (a concern's reply-by, a consultation's close): "
        "the schema cannot know today",
        POSITIVE,
        400,
        r"must be in the future|at least 24 hours from now",
    ),
    Excuse(
        "reason checked after who may",
        "a waiver's or resolution's reason, required by the service after it checked who "
        "may do it (the order defect 12 changes); the schema leaves it optional until then",
        POSITIVE,
        400,
        r"Write why the milestone is waived|Say how the concern was resolved",
    ),
    *(
        Excuse(
            "request line over 4,094 bytes",
            "gunicorn's limit on the request line (its default --limit-request-line) "
            "refuses the address before the application reads it: 414, in HTML",
            check,
            414,
            r"Request Line is too large",
        )
        for check in (STATUS, NEGATIVE)
    ),
]

requests_made: collections.Counter = collections.Counter()  # role -> requests
failures: collections.Counter = collections.Counter()  # role -> failures found
excused: collections.Counter = collections.Counter()  # (role, excuse name) -> failures
unexcused: collections.Counter = collections.Counter()  # role -> failures
unexcused_examples: dict[tuple[str, str, str], str] = {}  # (role, check, operation) -> first
server_errors: list[str] = []

schema = schemathesis.openapi.from_dict(api_schema())  # at collection time
schema.config.phases.coverage.enabled = False
schema.config.seed = SEED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def committed_scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """The scene, committed; afterwards the database as it was (Django's serialized
    rollback: every row flushed, the rows of before loaded back)."""
    media_root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        try:
            world, ids = build()
            tokens = {
                role: create_api_token(actor=world.people[role], name="Fuzzing")[1]
                for role in ROLES
                if role != "anonymous"
            }
            yield {**ids, "version_number_1": 1, "version_number_2": 2}, tokens, media_root
        finally:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)


@pytest.fixture(scope="module")
def gunicorn_server(committed_scene, redis_proc, tmp_path_factory):
    """gunicorn config.wsgi, 2 workers, production settings but for the throttles' rates
    (one person sends thousands of requests here; throttling is tested in tests/hardening)."""
    _ids, _tokens, media_root = committed_scene
    port = _free_port()
    redis_url = f"redis://{redis_proc.host}:{redis_proc.port}/{REDIS_DB}"
    rate = "1000000/minute"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "live-fuzzing-" + "k" * 50,
        "DATABASE_URL": database_url(),
        "REDIS_CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "MEDIA_ROOT": str(media_root),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "THROTTLE_USER_WRITES": rate,
        "THROTTLE_ANON_WRITES": rate,
        "THROTTLE_PULSE": rate,
        "THROTTLE_TOKEN": rate,
    }
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        redis_proc_client = __import__("redis").Redis(
            host=redis_proc.host, port=redis_proc.port, db=REDIS_DB
        )
        redis_proc_client.flushdb()
        if server_errors:
            print(f"\ngunicorn's log:\n{log.read_text()[-5000:]}")


def _wait_until_up(process, url, log, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/api/v1/auth/token/", timeout=2).status_code == 405:
                return
        except requests.RequestException:  # not listening yet, or a worker still starting
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in time:\n{log.read_text()}")


def _error_message(response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):  # not the JSON error shape (gunicorn's 414)
        return response.text


def _record(role: str, case, response, exc: FailureGroup) -> None:
    operation = f"{case.method.upper()} {case.operation.path}"
    message = _error_message(response)
    for failure in exc.exceptions:
        check = failure.checks[0] if failure.checks else type(failure).__name__
        failures[role] += 1
        excuse = next(
            (e for e in EXCUSES if e.covers(check, operation, response.status_code, message)),
            None,
        )
        if excuse is not None:
            excused[role, excuse.name] += 1
            continue
        unexcused[role] += 1
        sent = f"{response.request.url} {(response.request.body or b'')[:150]!r}"
        answer = f"{response.status_code} {response.text[:200]!r}"
        unexcused_examples.setdefault((role, check, operation), f"{sent} -> {answer}")


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ROLES)
def test_the_live_api_answers_as_its_schema_says(case, role, committed_scene, gunicorn_server):
    ids, tokens, _media_root = committed_scene
    headers = as_role(case, role, ids, tokens)
    response = case.call(base_url=gunicorn_server, headers=headers, timeout=30)
    requests_made[role] += 1
    if response.status_code >= 500:
        server_errors.append(
            f"{role}: {case.method} {response.request.url} -> {response.status_code}"
        )
    try:
        # Every check Schemathesis has, with its default configuration.
        case.validate_response(response, headers=headers)
    except FailureGroup as exc:
        _record(role, case, response, exc)


def _table() -> str:
    """The counts per role, as a Markdown table for the closing note and the README."""
    names = list(dict.fromkeys(e.name for e in EXCUSES))
    head = ["role", "requests", "failures", *[f"excused: {n}" for n in names], "unexcused"]
    rows = [head, ["---"] * len(head)]
    for role in ROLES:
        rows.append(
            [
                role,
                str(requests_made[role]),
                str(failures[role]),
                *[str(excused[role, n]) for n in names],
                str(unexcused[role]),
            ]
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def test_no_server_error_and_every_failure_judged():
    if not requests_made:
        pytest.skip("the live fuzzing tests were not run")
    print("\n" + _table())
    for (role, check, operation), example in sorted(unexcused_examples.items()):
        print(f"unexcused {check} {operation} as {role}: {example}")
    assert all(e.status < 500 for e in EXCUSES)
    assert server_errors == []
    assert sum(unexcused.values()) == 0
