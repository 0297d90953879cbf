"""Who reads which comments, in both visibility modes, before and after the close
(policies.visible_comments, through the API)."""

import datetime

import pytest
from django.utils import timezone

from dialogue.models import Consultation
from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory
from tests.factories import ProviderFactory

PRIVATE = Consultation.Visibility.PRIVATE_UNTIL_CLOSE
OPEN = Consultation.Visibility.OPEN


@pytest.fixture
def setting(world):
    """provider_in_a and the network are invited; a second provider of programme A (with no
    link to anyone) comments too; network_member belongs to the network."""

    def make(visibility, closed):
        other = ProviderFactory(name="Another provider")
        world.programme_a.participants.add(other)
        consultation = ConsultationFactory(programme=world.programme_a, visibility=visibility)
        comments = {
            "provider": CommentFactory(consultation=consultation, organisation=world.provider_in_a),
            "network": CommentFactory(consultation=consultation, organisation=world.network),
            "member": CommentFactory(consultation=consultation, organisation=world.network_member),
            "other": CommentFactory(consultation=consultation, organisation=other),
        }
        if closed:
            Consultation.objects.filter(pk=consultation.pk).update(
                status=Consultation.Status.CLOSED,
                closes_at=timezone.now() - datetime.timedelta(hours=1),
                closed_at=timezone.now(),
            )
        return consultation, comments

    return make


ALL = {"provider", "network", "member", "other"}
# (actor, visibility, closed) -> the comments the actor reads; None: the consultation is 404.
CASES = [
    ("officer_a", PRIVATE, False, ALL),
    ("officer_a", OPEN, False, ALL),
    ("officer_a", PRIVATE, True, ALL),
    ("provider_in_a", PRIVATE, False, {"provider"}),
    ("provider_in_a", OPEN, False, ALL),
    ("provider_in_a", PRIVATE, True, ALL),
    ("provider_in_a", OPEN, True, ALL),
    # A network member reads its own and its network's comments while private.
    ("network_member", PRIVATE, False, {"network", "member"}),
    ("network_member", OPEN, False, ALL),
    ("network_member", PRIVATE, True, ALL),
    ("network_rep", PRIVATE, False, {"network"}),
    ("politician_a", PRIVATE, False, set()),
    ("politician_a", OPEN, False, set()),
    ("politician_a", PRIVATE, True, ALL),
    ("politician_a", OPEN, True, ALL),
    ("provider_outside", PRIVATE, False, None),
    ("provider_outside", OPEN, True, None),
    ("manager_b", OPEN, True, None),
]


@pytest.mark.parametrize(("actor", "visibility", "closed", "expected"), CASES)
def test_who_reads_which_comments(client_for, setting, actor, visibility, closed, expected):
    consultation, comments = setting(visibility, closed)
    client = client_for(actor)
    response = client.get(f"/api/v1/consultations/{consultation.pk}/comments/")
    if expected is None:
        assert response.status_code == 404
        for comment in comments.values():
            assert client.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
        return
    assert response.status_code == 200
    names = {
        name
        for name, c in comments.items()
        if c.pk in {r["id"] for r in response.json()["results"]}
    }
    assert names == expected
    for name, comment in comments.items():
        detail = client.get(f"/api/v1/comments/{comment.pk}/")
        assert detail.status_code == (200 if name in expected else 404)


def test_a_cosigner_reads_the_comment_it_signed_while_private(client_for, world, setting):
    consultation, comments = setting(PRIVATE, False)
    comments["other"].cosignatures.create(
        organisation=world.provider_in_a, signed_at=timezone.now()
    )
    response = client_for("provider_in_a").get(f"/api/v1/consultations/{consultation.pk}/comments/")
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {comments["provider"].pk, comments["other"].pk}


def test_whether_a_comment_is_answered_is_hidden_until_the_close(client_for, world):
    """A draft response must not leak before the close, not even as a yes/no flag."""
    from dialogue.models import Comment, Response
    from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory

    consultation = ConsultationFactory(programme=world.programme_a)
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    Response.objects.create(comment=comment, outcome="noted", reason="Draft answer")
    provider = client_for("provider_in_a")
    listed = provider.get(f"/api/v1/consultations/{consultation.pk}/comments/")
    assert listed.status_code == 200
    assert [c["answered"] for c in listed.json()["results"]] == [None]
    refused = provider.get(
        f"/api/v1/consultations/{consultation.pk}/comments/", {"answered": "true"}
    )
    assert refused.status_code == 400
    assert "answered" in refused.json()["error"]["fields"]
    staff = client_for("officer_a").get(
        f"/api/v1/consultations/{consultation.pk}/comments/", {"answered": "true"}
    )
    assert [c["answered"] for c in staff.json()["results"]] == [True]
    assert Comment.objects.filter(pk=comment.pk).exists()
