"""Who may do what to consultations and comments, for every endpoint: the eight actors of
the world and anonymous. Refusals change nothing (no Event is written)."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from contracts.models import RulebookVersion
from dialogue.models import Consultation
from tests.authorization.endpoints import refused_for_role
from tests.contracts.rulebook_factories import RulebookVersionFactory, rulebook_with_version
from tests.dialogue.consultation_factories import (
    CommentFactory,
    ConsultationFactory,
    CoSignatureFactory,
)

ACTING_FOR = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "network_member": "network_member",
    "politician_a": "political_body_a",
}
ACTORS = [*ACTING_FOR, None]
STAFF = {"manager_a", "officer_a"}
PROVIDERS = {"provider_in_a", "network_rep", "network_member"}
READERS = STAFF | PROVIDERS | {"politician_a"}
# Comments of an open-visibility consultation before the close: politicians read none yet.
COMMENT_READERS = STAFF | PROVIDERS


def later(**kwargs) -> str:
    return (timezone.now() + datetime.timedelta(**kwargs)).isoformat()


def setup(world, state):
    """The objects an endpoint acts on, in the state it needs."""
    version = rulebook_with_version(
        world.programme_a, clauses=[("1", "Scope", "The provider shall treat.")]
    )
    status = {"scheduled": "scheduled", "passed": "open"}.get(state, "open")
    if status != "scheduled":
        RulebookVersion.objects.filter(pk=version.pk).update(
            status=RulebookVersion.Status.IN_CONSULTATION
        )
    consultation = ConsultationFactory(
        programme=world.programme_a,
        rulebook_version=version,
        status=status,
        visibility=Consultation.Visibility.OPEN,
    )
    if state == "passed":
        Consultation.objects.filter(pk=consultation.pk).update(
            closes_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    comment = CommentFactory(consultation=consultation, organisation=world.network)
    if state == "signed":
        CoSignatureFactory(comment=comment, organisation=world.network_member)
    return {"consultation": consultation.pk, "comment": comment.pk, "version": version.pk}


# name: (method, path, body, state, success code, who succeeds, who sees, status for unseen)
ENDPOINTS = {
    "list consultations": ("get", "/api/v1/consultations/", None, "open", 200, None, None, 200),
    "read consultation": (
        "get", "/api/v1/consultations/{consultation}/", None, "open", 200, READERS, READERS, 404,
    ),
    "create consultation": (
        "post",
        "/api/v1/consultations/",
        lambda ids: {
            "rulebook_version": ids["draft"],
            "title": "Remiss",
            "opens_at": later(hours=1),
            "closes_at": later(days=10),
        },
        "draft",
        201,
        STAFF,
        READERS,
        400,
    ),
    "change consultation": (
        "patch", "/api/v1/consultations/{consultation}/", lambda ids: {"title": "Ny"},
        "scheduled", 200, STAFF, READERS, 404,
    ),
    "open": (
        "post", "/api/v1/consultations/{consultation}/open/", None, "scheduled", 200, STAFF,
        READERS, 404,
    ),
    "close": (
        "post", "/api/v1/consultations/{consultation}/close/", None, "passed", 200, STAFF,
        READERS, 404,
    ),
    "extend": (
        "post", "/api/v1/consultations/{consultation}/extend/",
        lambda ids: {"closes_at": later(days=30)}, "open", 200, STAFF, READERS, 404,
    ),
    "list comments": (
        "get", "/api/v1/consultations/{consultation}/comments/", None, "open", 200, READERS,
        READERS, 404,
    ),
    "submit comment": (
        "post", "/api/v1/consultations/{consultation}/comments/",
        lambda ids: {"kind": "question", "body": "Why?"}, "open", 201, PROVIDERS, READERS, 404,
    ),
    "read comment": (
        "get", "/api/v1/comments/{comment}/", None, "open", 200, COMMENT_READERS,
        COMMENT_READERS, 404,
    ),
    "edit comment": (
        "patch", "/api/v1/comments/{comment}/", lambda ids: {"body": "Edited"}, "open", 200,
        {"network_rep"}, COMMENT_READERS, 404,
    ),
    "revisions": (
        "get", "/api/v1/comments/{comment}/revisions/", None, "open", 200, COMMENT_READERS,
        COMMENT_READERS, 404,
    ),
    "withdraw": (
        "post", "/api/v1/comments/{comment}/withdraw/", None, "open", 200, {"network_rep"},
        COMMENT_READERS, 404,
    ),
    "cosign": (
        "post", "/api/v1/comments/{comment}/cosign/", None, "open", 200, {"network_member"},
        COMMENT_READERS, 404,
    ),
    "uncosign": (
        "post", "/api/v1/comments/{comment}/uncosign/", None, "signed", 200,
        {"network_member"}, COMMENT_READERS, 404,
    ),
}  # fmt: skip


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_endpoint_access(client_for, world, endpoint, actor):
    method, path, body, state, success, succeeds, sees, unseen = ENDPOINTS[endpoint]
    ids = setup(world, state)
    ids["draft"] = _draft(ids)
    client = client_for(actor)
    headers = {}
    if actor is not None:
        headers["HTTP_X_ACTING_FOR"] = str(getattr(world, ACTING_FOR[actor]).id)
    events_before = Event.objects.count()
    response = getattr(client, method)(
        path.format(**ids), body(ids) if body else {}, format="json", **headers
    )
    if actor is None:
        expected = 401
    elif succeeds is None or actor in succeeds:
        expected = success
    elif actor in sees:
        expected = 403
    else:
        expected = unseen
    if refused_for_role(actor, path.format(**ids), method):
        expected = 403  # the role may never write here: refused before the id is looked at
    assert response.status_code == expected, (endpoint, actor, response.content)
    if method != "get" and expected >= 400:
        assert Event.objects.count() == events_before
        assert "message" in response.json()["error"]


def _draft(ids):
    """A draft of the same rulebook with no consultation, for the create endpoint."""
    version = RulebookVersion.objects.get(pk=ids["version"])
    return RulebookVersionFactory(rulebook=version.rulebook, number=2).pk


def test_the_consultation_list_shows_only_what_the_actor_may_see(client_for, world):
    mine = ConsultationFactory(programme=world.programme_a)
    theirs = ConsultationFactory(programme=world.programme_b)
    for actor, expected in [
        ("officer_a", {mine.pk}),
        ("provider_in_a", {mine.pk}),
        ("politician_a", {mine.pk}),
        ("manager_b", {theirs.pk}),
        ("provider_outside", {theirs.pk}),
    ]:
        response = client_for(actor).get("/api/v1/consultations/")
        assert {c["id"] for c in response.json()["results"]} == expected, actor
