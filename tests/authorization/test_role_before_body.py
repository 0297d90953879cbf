"""Who may write is decided before what they wrote, on every write endpoint of the URL conf:
an empty body from someone whose role may never write there (the politician everywhere but
their own calendar feed; a provider where only purchaser staff write) answers 403, and an
anonymous one 401, never 400 "fix the fields" (issue 15). Generated from the URL conf and
the views' `writers`, with the path ids of the authorization matrix's rows, so a new write
endpoint is covered (and must say who writes to it) without anyone adding a case."""

import re

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from commissioning.api.permissions import ACTING_FOR_HEADER
from commissioning.models import Event
from commissioning.policies import Writers
from tests.authorization.endpoints import PUBLIC, url_conf_endpoints
from tests.authorization.scene import ACTS_FOR, shared_scene
from tests.authorization.test_matrix import ENDPOINTS

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PARAMS = {(row["pattern"], row["method"]): row.get("params", {}) for row in ENDPOINTS}


def write_endpoints():
    return sorted(
        (pattern, method)
        for pattern, methods in url_conf_endpoints().items()
        if pattern.startswith("/api/") and pattern not in PUBLIC
        for method in methods & WRITE_METHODS
    )


def writers_of(path: str, method: str) -> Writers:
    """The `writers` the view of this address declares for this method (its action)."""
    match = resolve(path)
    view_class = match.func.cls
    writers = getattr(view_class, "writers", None)
    if isinstance(writers, dict):
        action = (getattr(match.func, "actions", None) or {}).get(method.lower())
        writers = writers.get(action, writers.get(None))
    assert writers is not None, f"{view_class.__name__} writes but says nobody may: set writers"
    return Writers(writers)


def refused_actors(pattern: str, method: str) -> list[str]:
    """Who may not write here at all: anonymous and the politician everywhere but a person's
    own things; the providers where only purchaser staff write."""
    writers = writers_of(re.sub(r"\{\w+\}", "1", pattern), method)
    if writers == Writers.ANYONE:
        return ["anonymous"]
    providers = ["provider_in_a", "network_rep", "provider_outside"]
    return ["politician_a", "anonymous", *(providers if writers == Writers.PURCHASER_STAFF else [])]


CASES = [
    pytest.param(pattern, method, actor, id=f"{method} {pattern} as {actor}")
    for pattern, method in write_endpoints()
    for actor in refused_actors(pattern, method)
]


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def _path(ids, pattern, method):
    params = PARAMS[pattern, method]
    return pattern.format(
        **{name: ids[value] if isinstance(value, str) else value for name, value in params.items()}
    )


@pytest.mark.parametrize(("pattern", "method", "actor"), CASES)
def test_an_empty_body_from_a_role_that_may_not_write_here_is_refused_for_the_role(
    scene, db, pattern, method, actor
):
    world, ids = scene
    path = _path(ids, pattern, method)
    client = APIClient()
    headers = {}
    if actor != "anonymous":
        client.force_authenticate(world.people[actor])
        headers[f"HTTP_{ACTING_FOR_HEADER.upper().replace('-', '_')}"] = str(ids[ACTS_FOR[actor]])
    events = Event.objects.count()
    response = client.generic(method, path, "{}", content_type="application/json", **headers)
    expected = 401 if actor == "anonymous" else 403
    assert response.status_code == expected, response.content[:300]
    assert Event.objects.count() == events
    if expected == 403:
        assert "fields" not in response.json()["error"]


def test_a_politician_naming_no_organisation_is_refused_for_the_role_too(scene, db):
    world, _ids = scene
    client = APIClient()
    client.force_authenticate(world.people["politician_a"])
    response = client.post("/api/v1/action-items/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"


def test_purchaser_staff_with_an_empty_body_still_hear_which_fields_to_fix(scene, db):
    world, ids = scene
    client = APIClient()
    client.force_authenticate(world.people["officer_a"])
    response = client.post(
        "/api/v1/action-items/", {}, format="json", HTTP_X_ACTING_FOR=str(ids["purchaser_a"])
    )
    assert response.status_code == 400
    assert "meeting" in response.json()["error"]["fields"]


def test_every_write_endpoint_is_covered_for_the_politician_and_anonymous():
    covered = {(pattern, method) for pattern, method, _actor in (c.values for c in CASES)}
    assert covered == set(write_endpoints())
    assert len(covered) >= 70
