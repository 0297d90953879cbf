"""Schemathesis against the API's own OpenAPI schema, in-process over WSGI, as a purchaser
manager, a provider representative, a politician and an anonymous caller, on the objects of
the authorization matrix's scene (ids in paths mostly name real objects, of purchaser A and
B). Every response must be below 500, have a status code the schema documents, and a body
and content type matching it; anonymous callers and politicians must change nothing (and
anonymous ones read nothing) outside the endpoints open to them. Deterministic (Hypothesis
derandomised, a fixed seed, no example database), and at least MIN_REQUESTS requests in
all, counted and checked by the last test."""

import collections
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services.tokens import create_api_token
from tests.authorization.endpoints import PUBLIC, api_schema
from tests.authorization.scene import ACTS_FOR, shared_scene

ROLES = ["manager_a", "provider_in_a", "politician_a", "anonymous"]
SEED = 20261124
EXAMPLES_PER_OPERATION = 10
MIN_REQUESTS = 2000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The ids an id in a path is replaced by, by the path's first segment (and parameter name):
# a fuzzed id mostly hits a real object, sometimes one the role may not see.
POOLS = {
    "organisations": ["purchaser_a", "purchaser_b", "provider_in_a", "network", "provider_outside"],
    "programmes": ["programme_a", "programme_b", "programme_spare"],
    "events": ["event"],
    "milestone-templates": ["milestone_template"],
    "milestones": ["milestone"],
    "contracts": [
        "contract_draft",
        "contract_in_dialogue",
        "contract_negotiation",
        "contract_finalised",
        "contract_signed",
        "contract_active",
    ],
    "contracts.party_id": ["party_network"],
    "contracts.number": ["version_number_1", "version_number_2"],
    "obligations": ["obligation"],
    "rulebooks": ["rulebook", "rulebook_adopted"],
    "rulebook-versions": [
        "version_draft",
        "version_closed",
        "version_in_consultation",
        "version_unconsulted",
    ],
    "clauses": ["clause", "clause_2"],
    "arenas": ["arena"],
    "meetings": ["meeting_planned", "meeting_held"],
    "agenda-items": ["agenda_item", "agenda_item_information"],
    "action-items": ["action_item"],
    "concerns": ["concern_raised", "concern_acknowledged"],
    "consultations": [
        "consultation_open",
        "consultation_scheduled",
        "consultation_passed",
        "consultation_closed",
    ],
    "comments": ["comment", "comment_of_provider", "comment_answered"],
    "documents": ["document"],
    "calendar.token": ["calendar_token"],
    "api-tokens": ["api_token"],
    "invitations": ["invitation"],
    "memberships": ["membership_officer"],
    "notifications": ["notice"],
    "drafts": ["draft", "draft_uncirculated"],
}

# Writes to one's own things.
PERSONAL = {
    "/api/v1/calendar/feed/",
    "/api/v1/api-tokens/",
    "/api/v1/api-tokens/{id}/",
    "/api/v1/notifications/{id}/read/",
    "/api/v1/notifications/read-all/",
    "/api/v1/notification-settings/",
}

requests_made: collections.Counter = collections.Counter()
answers: collections.Counter = collections.Counter()  # (role, status) -> requests


schema = schemathesis.openapi.from_dict(api_schema())  # at collection time
schema.app = WSGIHandler()
# The fuzzing phase only, seeded: the coverage phase's boundary cases are some sixty requests
# per operation and role, past this suite's time budget (FUZZ_COVERAGE=1 adds them: about
# 35,000 requests, five to six minutes).
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"
schema.config.seed = SEED


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as (world, ids):
        tokens = {
            actor: create_api_token(actor=world.people[actor], name="Fuzzing")[1]
            for actor in ROLES
            if actor != "anonymous"
        }
        yield world, {**ids, "version_number_1": 1, "version_number_2": 2}, tokens


@pytest.fixture
def in_process(db):
    """Django's WSGI handler closes the database connection at the end of every request,
    which would end the scene's transaction: the test client turns that off, so do we."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_ids(case, ids):
    segments = case.path.strip("/").split("/")
    resource = segments[2] if len(segments) > 2 else ""
    for name, value in (case.path_parameters or {}).items():
        pool = POOLS.get(f"{resource}.{name}") or POOLS.get(resource)
        if not pool:
            continue
        if isinstance(value, int) and value % 4:  # one in four stays as generated
            case.path_parameters[name] = ids[pool[value % len(pool)]]
        elif isinstance(value, str) and name == "token" and len(value) % 4:
            case.path_parameters[name] = ids[pool[0]]


def as_role(case, role: str, ids: dict, tokens: dict) -> dict:
    """Real ids in the case's path, and the headers of `role`: its token, and for a write the
    role's own organisation to act for, so that writes reach the services."""
    _real_ids(case, ids)
    if role == "anonymous":
        return {}
    if case.method != "GET":
        case.headers = {**(case.headers or {}), "X-Acting-For": str(ids[ACTS_FOR[role]])}
    return {"Authorization": f"Token {tokens[role]}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_as_its_schema_says(case, role, scene, in_process):
    _world, ids, tokens = scene
    headers = as_role(case, role, ids, tokens)
    # Each request in a savepoint of its own: every one starts from the same scene.
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    requests_made[role] += 1
    answers[role, response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
    succeeded = 200 <= response.status_code < 300
    if role == "anonymous" and case.operation.path not in PUBLIC:
        assert not succeeded, f"anonymous {case.method} got {response.status_code}"
    writes = case.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    if role == "politician_a" and writes and case.operation.path not in PERSONAL:
        assert not succeeded, f"a politician's {case.method} got {response.status_code}"
        # Refused for who they are, never told the state of something not theirs to change.
        assert response.status_code != 409, f"a politician's {case.method} got a conflict"


def test_enough_requests_were_generated():
    if not requests_made:
        pytest.skip("the fuzzing tests were not run")
    print(f"\nrequests generated per role: {dict(requests_made)}")
    print(f"answers (role, status): {dict(sorted(answers.items()))}")
    assert set(requests_made) == set(ROLES), requests_made
    assert sum(requests_made.values()) >= MIN_REQUESTS, requests_made
