"""Comments: who may submit, the kinds, edits kept as revisions, withdrawal, the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import policies
from commissioning.errors import Conflict
from commissioning.models import Event
from dialogue.models import Comment, CommentRevision, Consultation, Response
from dialogue.services import comments
from tests.contracts.rulebook_factories import ClauseFactory, RulebookVersionFactory
from tests.dialogue.consultation_factories import (
    CommentFactory,
    ConsultationFactory,
    patch,
    post,
)
from tests.factories import NetworkMembershipFactory, ProviderFactory

MAX_QUERIES = 10
# A comment's POST: the standing (2), the organisation acted for, the consultation and its
# invitations, the clause (2); under the lock (a savepoint): the lock, the consultation, its
# invitations, the comment, its revision and its Event (8 with the savepoint and its
# release). The answer reads nothing more.
MAX_SUBMIT_QUERIES = 13


@pytest.fixture
def consultation(world):
    return ConsultationFactory(programme=world.programme_a)


def submit(client, consultation, organisation, **data):
    payload = {"kind": "objection", "body": "Monthly reporting is too often.", **data}
    return post(client, f"/api/v1/consultations/{consultation.pk}/comments/", organisation, payload)


def test_an_invited_provider_submits_a_comment_on_a_clause(client_for, world, consultation):
    clause = consultation.rulebook_version.clauses.get()
    response = submit(
        client_for("provider_in_a"), consultation, world.provider_in_a, clause=clause.pk
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organisation"]["id"] == world.provider_in_a.id
    assert body["clause"]["key"] == "4.2"
    assert body["revision"] == 1
    assert body["body_html"] == "<p>Monthly reporting is too often.</p>\n"
    comment = Comment.objects.get()
    assert comment.revisions.get().body == "Monthly reporting is too often."
    assert Event.objects.filter(verb="comment.submitted", purchaser=world.purchaser_a).count() == 1


@pytest.mark.parametrize("moved", ["closed", "extended"])
def test_the_window_under_the_lock_decides_not_the_one_read_before_it(world, consultation, moved):
    """The service keeps the consultation the request read only while the lock finds its
    window unchanged: a close or an extension between the read and the lock is obeyed."""
    read = Consultation.objects.get(pk=consultation.pk)
    if moved == "closed":
        Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CLOSED)
    else:
        read.closes_at = timezone.now() - datetime.timedelta(minutes=1)  # read just before
        Consultation.objects.filter(pk=consultation.pk).update(
            closes_at=timezone.now() + datetime.timedelta(days=14)
        )
    submitting = dict(
        actor=world.people["provider_in_a"],
        acting_for=world.provider_in_a,
        consultation=read,
        kind="objection",
        body="Too often.",
    )
    if moved == "closed":
        with pytest.raises(Conflict):
            comments.submit_comment(**submitting)
        assert not Comment.objects.exists()
    else:
        assert comments.submit_comment(**submitting).pk


def test_a_general_comment_has_no_clause(client_for, world, consultation):
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 201
    assert response.json()["clause"] is None


def test_a_member_of_an_invited_network_comments_for_itself(client_for, world, consultation):
    response = submit(client_for("network_member"), consultation, world.network_member)
    assert response.status_code == 201, response.json()


def test_an_uninvited_provider_is_refused_with_a_clear_message(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a, invited=[world.network])
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "not_invited"
    assert "not invited" in error["message"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("actor", "organisation"), [("officer_a", "purchaser_a"), ("politician_a", "political_body_a")]
)
def test_purchasers_and_politicians_do_not_comment(
    client_for, world, consultation, actor, organisation
):
    response = submit(client_for(actor), consultation, getattr(world, organisation))
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_proposal_needs_suggested_wording(client_for, world, consultation):
    response = submit(
        client_for("provider_in_a"), consultation, world.provider_in_a, kind="proposal"
    )
    assert response.status_code == 400
    assert "suggested_wording" in response.json()["error"]["fields"]
    ok = submit(
        client_for("provider_in_a"),
        consultation,
        world.provider_in_a,
        kind="proposal",
        suggested_wording="Quarterly reports.",
    )
    assert ok.status_code == 201
    assert ok.json()["suggested_wording"] == "Quarterly reports."


def test_a_body_over_the_size_limit_is_refused(client_for, world, consultation):
    response = submit(
        client_for("provider_in_a"),
        consultation,
        world.provider_in_a,
        body="x" * (comments.BODY_MAX_CHARS + 1),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "comment_too_long"
    assert not Comment.objects.exists()


def test_a_clause_of_another_version_is_refused(client_for, world, consultation):
    other = ClauseFactory(
        version=RulebookVersionFactory(rulebook=consultation.rulebook_version.rulebook, number=2)
    )
    response = submit(
        client_for("provider_in_a"), consultation, world.provider_in_a, clause=other.pk
    )
    assert response.status_code == 400
    assert "clause" in response.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_an_unknown_field_is_refused(client_for, world, consultation):
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a, colour="red")
    assert response.status_code == 400
    assert "colour" in response.json()["error"]["fields"]


# --- edits and withdrawal -----------------------------------------------------------------


@pytest.fixture
def comment(world, consultation):
    return CommentFactory(consultation=consultation, organisation=world.provider_in_a, body="First")


def test_an_edit_adds_a_revision_and_the_last_one_is_current(client_for, world, comment):
    client = client_for("provider_in_a")
    response = patch(
        client, f"/api/v1/comments/{comment.pk}/", world.provider_in_a, {"body": "Second"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["body"] == "Second"
    assert response.json()["revision"] == 2
    revisions = client.get(f"/api/v1/comments/{comment.pk}/revisions/").json()
    assert [(r["number"], r["body"]) for r in revisions] == [(1, "First"), (2, "Second")]
    assert Event.objects.filter(verb="comment.edited").count() == 1


def test_another_organisation_cannot_edit_a_comment(client_for, world, consultation):
    theirs = CommentFactory(consultation=consultation, organisation=world.network, body="Ours")
    response = patch(
        client_for("network_member"),
        f"/api/v1/comments/{theirs.pk}/",
        world.network_member,
        {"body": "Changed"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_comment_owner"
    assert CommentRevision.objects.filter(comment=theirs).count() == 1


def test_withdrawal_keeps_the_history(client_for, world, comment):
    client = client_for("provider_in_a")
    patch(client, f"/api/v1/comments/{comment.pk}/", world.provider_in_a, {"body": "Second"})
    response = post(client, f"/api/v1/comments/{comment.pk}/withdraw/", world.provider_in_a)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawn_at"] is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["First", "Second"]


def test_a_withdrawn_comment_is_not_edited(client_for, world, comment):
    client = client_for("provider_in_a")
    post(client, f"/api/v1/comments/{comment.pk}/withdraw/", world.provider_in_a)
    response = patch(client, f"/api/v1/comments/{comment.pk}/", world.provider_in_a, {"body": "x"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "comment_withdrawn"
    again = post(client, f"/api/v1/comments/{comment.pk}/withdraw/", world.provider_in_a)
    assert again.status_code == 409


# --- the list -----------------------------------------------------------------------------


def test_the_list_filters_by_clause_kind_organisation_and_answered(client_for, world, consultation):
    clause = consultation.rulebook_version.clauses.get()
    on_clause = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    general = CommentFactory(
        consultation=consultation,
        organisation=world.network,
        clause=None,
        kind=Comment.Kind.QUESTION,
    )
    Response.objects.create(comment=general, outcome=Response.Outcome.NOTED, reason="Noted.")
    client = client_for("officer_a")
    url = f"/api/v1/consultations/{consultation.pk}/comments/"

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids(clause=clause.pk) == [on_clause.pk]
    assert ids(kind="question") == [general.pk]
    assert ids(organisation=world.network.id) == [general.pk]
    assert ids(answered="true") == [general.pk]
    assert ids(answered="false") == [on_clause.pk]


@pytest.mark.parametrize("actor", ["officer_a", "provider_in_a", "network_member"])
def test_the_comment_list_runs_a_constant_number_of_queries(client_for, world, actor):
    consultation = ConsultationFactory(
        programme=world.programme_a, visibility=Consultation.Visibility.OPEN
    )
    others = ProviderFactory.create_batch(3)
    for provider in others:
        NetworkMembershipFactory(network=world.network, provider=provider)
    for n in range(120):
        comment = CommentFactory(
            consultation=consultation,
            organisation=world.network if n % 2 else world.provider_in_a,
            body=f"Comment {n}",
        )
        if n % 2:
            for provider in others:
                comment.cosignatures.create(organisation=provider, signed_at=comment.submitted_at)
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        policies.forget_standing(world.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                f"/api/v1/consultations/{consultation.pk}/comments/", {"page_size": size}
            )
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= MAX_QUERIES


@pytest.mark.parametrize(
    ("actor", "organisation", "data"),
    [
        (
            "provider_in_a",
            "provider_in_a",
            {"kind": "proposal", "span_start": 0, "span_end": 11, "quoted_text": "Vårdgivaren"},
        ),
        ("network_member", "network_member", {"kind": "question", "body": "Why **monthly**?"}),
    ],
)
def test_a_submitted_comments_answer_is_the_comment_as_it_is_read_back(
    client_for, world, consultation, actor, organisation, data
):
    """The POST answers from the rows it wrote (no reading back): the same JSON, byte for
    byte, as a GET of the comment by its author afterwards."""
    if data["kind"] == "proposal":
        data = {**data, "clause": consultation.rulebook_version.clauses.get().pk}
        data["suggested_wording"] = "Vårdgivaren ska rapportera varje kvartal."
    client = client_for(actor)
    written = submit(client, consultation, getattr(world, organisation), **data)
    assert written.status_code == 201, written.json()
    read = client.get(f"/api/v1/comments/{written.json()['id']}/")
    assert read.status_code == 200
    assert written.content == read.content


def test_a_comment_is_submitted_in_a_bounded_number_of_queries(client_for, world, consultation):
    clause = consultation.rulebook_version.clauses.get()
    client = client_for("provider_in_a")
    submit(client, consultation, world.provider_in_a, clause=clause.pk)
    policies.forget_standing(world.people["provider_in_a"])
    with CaptureQueriesContext(connection) as captured:
        response = submit(client, consultation, world.provider_in_a, clause=clause.pk)
    assert response.status_code == 201
    assert len(captured) <= MAX_SUBMIT_QUERIES, [q["sql"][:80] for q in captured]
