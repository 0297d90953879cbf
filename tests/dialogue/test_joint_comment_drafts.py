"""A network's joint comment: drafted, circulated to the members, co-signed, submitted by the
network within the window. A draft is read only by the network and, once circulated, its
members; for everyone else, and in every list, export and count, it does not exist."""

import pytest
from django.core import mail
from django.test import Client

from commissioning.models import Event
from dialogue.models import Comment, Consultation
from dialogue.services import comment_stages
from tests.dialogue.consultation_factories import CommentFactory, post
from tests.dialogue.response_factories import ConsultationFactory, clause, close

SECRET = "UTKAST-SOM-INGEN-ANNAN-SER"


@pytest.fixture
def consultation(world):
    return ConsultationFactory(
        programme=world.programme_a,
        invited=[world.provider_in_a, world.network],
        visibility="open",
    )


def draft_of(world, consultation, body=SECRET) -> Comment:
    return comment_stages.draft_comment(
        actor=world.people["network_rep"],
        acting_for=world.network,
        consultation=consultation,
        kind="objection",
        body=body,
        clause=clause(consultation, "1"),
    )


def circulate(world, draft) -> Comment:
    return comment_stages.circulate_draft(
        actor=world.people["network_rep"], acting_for=world.network, comment=draft
    )


def page(world, actor) -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def test_the_network_drafts_circulates_members_cosign_and_it_submits(
    client_for, world, consultation
):
    network = client_for("network_rep")
    drafted = post(
        network,
        f"/api/v1/consultations/{consultation.pk}/drafts/",
        world.network,
        {"kind": "objection", "body": "Kvartalsvis räcker."},
    )
    assert drafted.status_code == 201, drafted.json()
    draft = drafted.json()
    assert draft["status"] == "draft"
    assert draft["reference"] == ""
    member = client_for("network_member")
    # Not circulated: the member is answered as if it did not exist.
    assert (
        post(member, f"/api/v1/drafts/{draft['id']}/cosign/", world.network_member).status_code
        == 404
    )
    circulated = post(network, f"/api/v1/drafts/{draft['id']}/circulate/", world.network)
    assert circulated.status_code == 200
    assert circulated.json()["circulated_at"]
    signed = post(member, f"/api/v1/drafts/{draft['id']}/cosign/", world.network_member)
    assert signed.status_code == 200, signed.json()
    submitted = post(network, f"/api/v1/drafts/{draft['id']}/submit/", world.network)
    assert submitted.status_code == 200, submitted.json()
    comment = submitted.json()
    assert comment["status"] == "submitted"
    assert [c["organisation"]["id"] for c in comment["cosigners"]] == [world.network_member.id]
    read = client_for("officer_a").get(f"/api/v1/comments/{draft['id']}/").json()
    assert read["reference"] == f"R-{read['submitted_at'][:4]}-{draft['id']:06d}"
    verbs = list(
        Event.objects.filter(subject_id=draft["id"], verb__startswith="comment.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[:1] == ["comment.drafted"]
    assert "comment.circulated" in verbs
    assert verbs[-1] == "comment.submitted"


def test_a_single_provider_cannot_draft_it_submits_at_once(client_for, world, consultation):
    answer = post(
        client_for("provider_in_a"),
        f"/api/v1/consultations/{consultation.pk}/drafts/",
        world.provider_in_a,
        {"kind": "question", "body": "Varför?"},
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_a_network"
    assert not Comment.with_drafts.exists()


def test_drafts_never_leak_into_lists_exports_counts_or_pages(client_for, world, consultation):
    CommentFactory(consultation=consultation, organisation=world.provider_in_a, body="Synlig")
    circulate(world, draft_of(world, consultation))
    draft_of(world, consultation, body=SECRET + "-2")
    assert Comment.objects.filter(consultation=consultation).count() == 1
    assert consultation.comments.count() == 1
    officer = client_for("officer_a")
    base = f"/api/v1/consultations/{consultation.pk}"
    listed = officer.get(f"{base}/comments/").json()
    assert [c["body"] for c in listed["results"]] == ["Synlig"]
    summary = officer.get(f"{base}/summary/").json()
    assert summary["comments"] == 1
    for path in (f"{base}/summary/", f"{base}/comments.csv", f"{base}/you-said-we-did/"):
        assert SECRET not in officer.get(path).content.decode(), path
    for actor, path in [
        ("officer_a", f"/consultations/{consultation.pk}/console/"),
        ("officer_a", f"/consultations/{consultation.pk}/comments.csv"),
        ("officer_a", f"/consultations/{consultation.pk}/"),
        ("provider_in_a", f"/consultations/{consultation.pk}/"),
        ("provider_in_a", "/"),
    ]:
        answer = page(world, actor).get(path)
        assert answer.status_code == 200, (actor, path)
        assert SECRET not in answer.content.decode(), (actor, path)
    close(consultation)
    Consultation.objects.filter(pk=consultation.pk).update(public=True)
    public = Client().get(f"/public/consultations/{consultation.pk}/").content.decode()
    assert "Synlig" in public
    assert SECRET not in public


@pytest.mark.parametrize("actor", ["officer_a", "provider_in_a", "network_member", "politician_a"])
def test_a_draft_answers_as_if_it_did_not_exist(client_for, world, consultation, actor):
    draft = draft_of(world, consultation)  # not circulated: not even the member reads it
    api = client_for(actor)
    assert api.get(f"/api/v1/drafts/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/comments/{draft.pk}/").status_code == 404
    missing = api.get("/api/v1/drafts/999999/")
    assert missing.status_code == 404
    assert api.get(f"/api/v1/drafts/{draft.pk}/").json() == missing.json()
    assert (
        page(world, actor).get(f"/consultations/{consultation.pk}/drafts/{draft.pk}/").status_code
        == 404
    )


def test_once_circulated_the_member_reads_it_on_its_home_page(world, consultation):
    draft = draft_of(world, consultation)
    home = page(world, "network_member").get("/").content.decode()
    assert f"/drafts/{draft.pk}/" not in home
    circulate(world, draft)
    home = page(world, "network_member").get("/").content.decode()
    assert f"/consultations/{consultation.pk}/drafts/{draft.pk}/" in home
    draft_page = page(world, "network_member").get(
        f"/consultations/{consultation.pk}/drafts/{draft.pk}/"
    )
    assert draft_page.status_code == 200
    assert SECRET in draft_page.content.decode()
    # Co-signed: no longer awaiting.
    page(world, "network_member").post(
        f"/consultations/{consultation.pk}/drafts/{draft.pk}/cosign/"
    )
    assert f"/drafts/{draft.pk}/" not in page(world, "network_member").get("/").content.decode()


def test_circulating_asks_the_members_to_cosign_with_a_link_to_the_draft(
    world, consultation, django_capture_on_commit_callbacks
):
    draft = draft_of(world, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        circulate(world, draft)
    asked = [
        m
        for m in mail.outbox
        if m.extra_headers.get("X-Notification-Kind") == "cosignature_requested"
    ]
    assert [m.to[0].split("<")[1].split("@")[0] for m in asked] == ["network_member"]
    assert f"/consultations/{consultation.pk}/drafts/{draft.pk}/" in asked[0].body
    # In the member's language: its organisation is Swedish.
    assert "har skrivit ett utkast till en gemensam synpunkt" in asked[0].body


@pytest.mark.parametrize("when", ["scheduled", "closed"])
def test_the_window_applies_to_the_submission_not_the_draft(client_for, world, when):
    consultation = ConsultationFactory(
        programme=world.programme_a, invited=[world.network], status=when
    )
    if when == "closed":
        close(consultation)
    draft = draft_of(world, consultation)  # drafted and circulated outside the window
    circulate(world, draft)
    answer = post(client_for("network_rep"), f"/api/v1/drafts/{draft.pk}/submit/", world.network)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] in ("consultation_not_open", "consultation_closed")
    draft.refresh_from_db()
    assert draft.status == Comment.Status.DRAFT
    assert draft.submitted_at is None


def test_only_the_network_submits_its_draft(client_for, world, consultation):
    draft = circulate(world, draft_of(world, consultation))
    answer = post(
        client_for("network_member"), f"/api/v1/drafts/{draft.pk}/submit/", world.network_member
    )
    assert answer.status_code == 403
    assert Comment.with_drafts.get(pk=draft.pk).status == Comment.Status.DRAFT
