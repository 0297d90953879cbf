"""Who may do what on every endpoint of responses, the summary, "you said, we did" and the
CSV export: the eight actors of the world and anonymous, before and after the close."""

import pytest

from commissioning.models import Event
from dialogue.models import Consultation, Response
from tests.authorization.endpoints import refused_for_role
from tests.dialogue.response_factories import close, scene

ACTORS = [
    "manager_a",
    "officer_a",
    "manager_b",
    "provider_in_a",
    "provider_outside",
    "network_rep",
    "network_member",
    "politician_a",
    None,
]
ORGANISATION = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "network_member": "network_member",
    "politician_a": "political_body_a",
}
STAFF = {"manager_a": 200, "officer_a": 200}
# Everyone who sees programme A: the purchaser's staff, its politicians, the provider taking
# part, the network and the network's member.
A_READERS = {
    **STAFF,
    "provider_in_a": 200,
    "network_rep": 200,
    "network_member": 200,
    "politician_a": 200,
}
CLOSED = [False, True]


def expected(table: dict, actor, default=404):
    if actor is None:
        return 401
    return table.get(actor, default)


def headers(world, actor):
    if actor is None:
        return {}
    return {"HTTP_X_ACTING_FOR": str(getattr(world, ORGANISATION[actor]).pk)}


@pytest.fixture
def setting(world):
    return scene(world)


def maybe_close(setting, closed: bool):
    if closed:
        close(setting.consultation)


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("actor", ACTORS)
def test_read_a_response(client_for, setting, actor, closed):
    maybe_close(setting, closed)
    answer = client_for(actor).get(f"/api/v1/comments/{setting.provider_comment.pk}/response/")
    # Before the close only the staff read the draft; after it, everyone who sees the comment.
    assert answer.status_code == expected(A_READERS if closed else STAFF, actor)
    if answer.status_code == 200:
        assert answer.json()["outcome"] == "accepted"


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("actor", ACTORS)
def test_write_a_response(client_for, setting, actor, closed):
    maybe_close(setting, closed)
    answer = client_for(actor).put(
        f"/api/v1/comments/{setting.general_comment.pk}/response/",
        {"outcome": "noted", "reason": "The decision is taken in March."},
        format="json",
        **headers(setting, actor),
    )
    # Those who see the comment but are not the purchaser's staff get 403: the provider its
    # own comment at any time, the network, its member and the politician after the close.
    sees_comment = {"provider_in_a": 403}
    if closed:
        sees_comment |= {"network_rep": 403, "network_member": 403, "politician_a": 403}
    path = f"/api/v1/comments/{setting.general_comment.pk}/response/"
    table = {"manager_a": 201, "officer_a": 201, **sees_comment}
    refused = refused_for_role(actor, path, "PUT")
    assert answer.status_code == (403 if refused else expected(table, actor))
    written = Response.objects.filter(comment=setting.general_comment)
    assert written.exists() == (answer.status_code == 201)
    assert Event.objects.filter(verb="response.created").exists() == (answer.status_code == 201)


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ["summary/", "you-said-we-did/", "comments.csv"])
def test_read_the_summary_report_and_export(client_for, setting, actor, closed, endpoint):
    maybe_close(setting, closed)
    answer = client_for(actor).get(f"/api/v1/consultations/{setting.consultation.pk}/{endpoint}")
    assert answer.status_code == expected(A_READERS, actor)


def test_in_an_open_consultation_a_participant_reads_the_comment_but_not_the_draft_response(
    client_for, setting
):
    Consultation.objects.filter(pk=setting.consultation.pk).update(
        visibility=Consultation.Visibility.OPEN
    )
    client = client_for("network_rep")
    report = client.get(f"/api/v1/consultations/{setting.consultation.pk}/you-said-we-did/")
    comments = {c["id"]: c for entry in report.json()["clauses"] for c in entry["comments"]}
    assert comments[setting.provider_comment.pk]["response"] is None
    answer = client.get(f"/api/v1/comments/{setting.provider_comment.pk}/response/")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "no_response"


def test_an_id_that_is_not_a_consultation_answers_404(client_for, setting):
    answer = client_for("manager_a").get("/api/v1/consultations/999999/summary/")
    assert answer.status_code == 404


def test_an_id_that_is_not_a_comment_answers_404(client_for, setting):
    answer = client_for("manager_a").get("/api/v1/comments/999999/response/")
    assert answer.status_code == 404
