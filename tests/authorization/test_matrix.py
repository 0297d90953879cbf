"""The authorization matrix: every endpoint and method of the URL conf × the seven actors and
anonymous, with the answer each must get, walked against real objects (matrix.yaml says how
to read and extend it). One test per endpoint, method and actor, so a failure names all
three; a refusal must record no Event, and what the outsiders (purchaser B's manager, the
provider outside A) read must not name purchaser A. Separate tests fail when the URL conf
has an endpoint or method the file lacks (listing exactly those), when a row names one it no
longer has, and when the file itself expects a server error, a politician writing, anonymous
access or an outsider reaching A."""

import json
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.test import Client
from rest_framework.test import APIClient

from commissioning.models import Event
from tests.authorization.endpoints import url_conf_endpoints
from tests.authorization.scene import ACTORS, ACTS_FOR, shared_scene

MATRIX = yaml.safe_load((Path(__file__).parent / "matrix.yaml").read_text(encoding="utf-8"))
ENDPOINTS = MATRIX["endpoints"]
# MATRIX_RECORD=<file>: write what each row answers instead of checking it (to draft the
# expectations of new rows; every recorded answer is then read and judged by a person).
RECORD = os.environ.get("MATRIX_RECORD")

# Whom each actor raises a concern with: the other side of its own relationship.
COUNTERPART = {
    "manager_a": "provider_in_a",
    "officer_a": "provider_in_a",
    "manager_b": "provider_outside",
    "provider_in_a": "purchaser_a",
    "provider_outside": "purchaser_b",
    "network_rep": "purchaser_a",
    "politician_a": "provider_in_a",
    "anonymous": "purchaser_a",
}

# Actors with nothing to do with purchaser A: what they read must not name A's objects.
OUTSIDERS = {"manager_b", "provider_outside"}


def _case_id(endpoint, actor):
    return f"{endpoint['method']} {endpoint['pattern']} as {actor}"


CASES = [
    pytest.param(endpoint, actor, id=_case_id(endpoint, actor))
    for endpoint in ENDPOINTS
    for actor in ACTORS
]


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def _fill(value, ids):
    """Replace each "{name}" by the id (or token, or date) of that object, in depth."""
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _client(world, endpoint, actor, csrf=False):
    page = not endpoint["pattern"].startswith("/api/")
    client = Client(enforce_csrf_checks=csrf) if page else APIClient()
    if actor != "anonymous":
        person = world.people[actor]
        if page:
            client.force_login(person)
        else:
            client.force_authenticate(person)
    return client


def _request(world, ids, endpoint, actor, csrf=False):
    ids = {
        **ids,
        "acting_for": ids.get(ACTS_FOR.get(actor, "purchaser_a")),
        "counterpart": ids[COUNTERPART[actor]],
    }
    params = {
        name: ids[value] if isinstance(value, str) else value
        for name, value in endpoint.get("params", {}).items()
    }
    path = endpoint["pattern"].format(**params)
    if "query" in endpoint:
        path += "?" + urlencode(_fill(endpoint["query"], ids))
    client = _client(world, endpoint, actor, csrf)
    method = endpoint["method"].lower()
    headers = {}
    if actor != "anonymous":
        headers["HTTP_X_ACTING_FOR"] = str(ids["acting_for"])
    if "form" in endpoint:
        form = _fill(endpoint["form"], ids)
        if method == "put":
            return client.put(path, urlencode(form), "application/x-www-form-urlencoded")
        return getattr(client, method)(path, form, **headers)
    if method in {"get", "delete"} and "body" not in endpoint:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(
        path, _fill(endpoint.get("body", {}), ids), format="json", **headers
    )


def _excerpt(response, limit=300) -> str:
    if response.streaming:
        # Read to the end: the test client then closes the file without closing the
        # database connection (response.close() would, through request_finished).
        return b"".join(response.streaming_content)[:limit].decode("utf-8", "replace")
    return response.content[:limit].decode("utf-8", "replace")


def _allowed(expected) -> tuple[set[int], str | None]:
    """An expectation is a status, a list of statuses, or "302 -> /sign-in/" (a redirect to
    a path starting so)."""
    if isinstance(expected, int):
        return {expected}, None
    if isinstance(expected, list):
        return set(expected), None
    status, _, target = expected.partition("->")
    return {int(status)}, target.strip() or None


@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_the_answer_is_the_one_the_matrix_expects(scene, db, endpoint, actor):
    world, ids = scene
    events = Event.objects.count()
    response = _request(world, ids, endpoint, actor)
    if RECORD:
        with open(RECORD, "a", encoding="utf-8") as out:
            row = [endpoint["pattern"], endpoint["method"], actor, response.status_code]
            out.write(json.dumps([*row, response.get("Location"), _excerpt(response)]) + "\n")
        return
    statuses, target = _allowed(endpoint["expect"][actor])
    assert response.status_code in statuses, f"{response.status_code} {_excerpt(response)}"
    if target is not None:
        assert response["Location"].startswith(target), response["Location"]
    if actor in OUTSIDERS and response.status_code == 200 and not endpoint.get("public"):
        _assert_nothing_of_purchaser_a(world, response)
    if response.status_code >= 400:
        assert Event.objects.count() == events, "a refused request recorded an Event"


PAGE_WRITES = [
    pytest.param(endpoint, id=f"{endpoint['method']} {endpoint['pattern']}")
    for endpoint in ENDPOINTS
    if not endpoint["pattern"].startswith("/api/")
    and endpoint["method"] != "GET"
    and not endpoint.get("csrf_exempt")
]


@pytest.mark.parametrize("endpoint", PAGE_WRITES)
def test_every_form_of_the_pages_refuses_a_post_without_its_csrf_token(scene, db, endpoint):
    """Sent by the caller the matrix lets through (else the manager of A), without the
    token the page's form carries: 403, and nothing recorded. The pulse pages' token in the
    address is no substitute for it."""
    world, ids = scene
    actor = next(
        (a for a, expected in endpoint["expect"].items() if _allowed(expected)[0] & {200, 302}),
        "manager_a",
    )
    events = Event.objects.count()
    response = _request(world, ids, endpoint, actor, csrf=True)
    assert response.status_code == 403, f"{response.status_code} {_excerpt(response)}"
    assert Event.objects.count() == events


ONE_CLICK = [
    pytest.param(endpoint, id=f"{endpoint['method']} {endpoint['pattern']}")
    for endpoint in ENDPOINTS
    if endpoint.get("csrf_exempt")
]


@pytest.mark.parametrize("endpoint", ONE_CLICK)
def test_a_form_exempt_from_csrf_answers_a_post_without_the_token_as_the_matrix_says(
    scene, db, endpoint
):
    """The one-click unsubscribe (RFC 8058): a mail client's POST carries no cookie and no
    token, and must work; the signed address is the authority."""
    world, ids = scene
    response = _request(world, ids, endpoint, "anonymous", csrf=True)
    assert response.status_code in _allowed(endpoint["expect"]["anonymous"])[0]


def _assert_nothing_of_purchaser_a(world, response):
    """A body an outsider reads must not carry purchaser A's data: the names of A, its
    committee and its programme appear in nearly every object of A."""
    text = _excerpt(response, limit=None)
    for name in (world.purchaser_a.name, world.political_body_a.name, world.programme_a.name):
        assert name not in text, f"{name!r} shown to an outsider: {text[:300]}"


def _listed():
    return {(e["pattern"], e["method"]) for e in ENDPOINTS}


def _excluded(pattern):
    return any(pattern.startswith(entry["prefix"]) for entry in MATRIX["excluded"])


def test_every_endpoint_of_the_url_conf_is_in_the_matrix():
    listed = _listed()
    missing = sorted(
        f"{method} {pattern}"
        for pattern, methods in url_conf_endpoints().items()
        if not _excluded(pattern)
        for method in methods
        if (pattern, method) not in listed
    )
    assert not missing, (
        "Endpoints of the URL conf missing from tests/authorization/matrix.yaml (add a row "
        "for each, or an `excluded:` entry with its reason):\n" + "\n".join(missing)
    )


def test_every_row_of_the_matrix_is_an_endpoint_of_the_url_conf():
    endpoints = url_conf_endpoints()
    stale = sorted(
        f"{method} {pattern}"
        for pattern, method in _listed()
        if method not in endpoints.get(pattern, set())
    )
    assert not stale, "Rows of matrix.yaml that the URL conf no longer has:\n" + "\n".join(stale)


def test_the_matrix_itself_keeps_the_rules():
    """A recorded answer is only a proposal: these rules hold for every row, so a bug cannot
    be written into the file as the expected outcome."""
    broken = []
    for endpoint in ENDPOINTS:
        api = endpoint["pattern"].startswith("/api/")
        special = any(endpoint.get(flag) for flag in ("public", "personal", "shared"))
        for actor, expected in endpoint["expect"].items():
            statuses, _target = _allowed(expected)
            success = any(200 <= s < 300 for s in statuses)
            if any(s >= 500 for s in statuses):
                broken.append((_case_id(endpoint, actor), "a server error"))
            if api and success and not special:
                if actor == "politician_a" and endpoint["method"] != "GET":
                    broken.append((_case_id(endpoint, actor), "a politician writes"))
                if actor == "anonymous":
                    broken.append((_case_id(endpoint, actor), "anonymous gets in"))
                if actor in OUTSIDERS and "params" in endpoint:
                    broken.append((_case_id(endpoint, actor), "an outsider reaches A's object"))
    assert not broken, "\n".join(f"{case}: {why}" for case, why in broken)


def test_each_row_names_every_actor_once():
    for endpoint in ENDPOINTS:
        assert sorted(endpoint["expect"]) == sorted(ACTORS), _case_id(endpoint, "everyone")
