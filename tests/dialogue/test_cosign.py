"""Network comments: member providers of the network co-sign them, and may withdraw their
signature, until the close; the comment shows its co-signers."""

import pytest

from commissioning.models import Event
from dialogue.models import CoSignature
from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory, post
from tests.factories import MembershipFactory, PersonFactory


@pytest.fixture
def network_comment(world):
    consultation = ConsultationFactory(programme=world.programme_a)
    return CommentFactory(consultation=consultation, organisation=world.network, body="Joint view")


def cosign(client, comment, organisation, action="cosign"):
    return post(client, f"/api/v1/comments/{comment.pk}/{action}/", organisation)


def test_a_member_provider_cosigns_and_the_comment_shows_it(client_for, world, network_comment):
    response = cosign(client_for("network_member"), network_comment, world.network_member)
    assert response.status_code == 200, response.json()
    assert [c["organisation"]["id"] for c in response.json()["cosigners"]] == [
        world.network_member.id
    ]
    assert Event.objects.filter(verb="comment.cosigned", purchaser=world.purchaser_a).count() == 1


def test_a_provider_outside_the_network_cannot_cosign(client_for, world, network_comment):
    # provider_in_a is invited to the consultation but is not a member of the network.
    MembershipFactory(
        person=PersonFactory(username="reader"), organisation=world.provider_in_a, role="provider"
    )
    response = cosign(client_for("provider_in_a"), network_comment, world.provider_in_a)
    assert response.status_code in (403, 404)
    assert not CoSignature.objects.exists()


def test_the_network_itself_cannot_cosign_its_own_comment(client_for, world, network_comment):
    response = cosign(client_for("network_rep"), network_comment, world.network)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_network_member"
    assert not CoSignature.objects.exists()


@pytest.mark.parametrize(
    ("action", "language", "message"),
    [
        (
            "cosign",
            "en",
            "Only a provider network's joint comments are co-signed; this comment is from "
            "Provider in A, which is not a network.",
        ),
        (
            "uncosign",
            "sv",
            "Endast ett vårdgivarnätverks gemensamma synpunkter medundertecknas; den här "
            "synpunkten kommer från Provider in A, som inte är ett nätverk.",
        ),
        (
            "cosign",
            "nb",
            "Bare et tjenesteyternettverks felles innspill medundertegnes; dette innspillet er "
            "fra Provider in A, som ikke er et nettverk.",
        ),
    ],
)
def test_a_comment_of_a_single_provider_has_no_cosigners(
    client_for, world, action, language, message
):
    """The refusal says the comment is not a network's, not that the signer is no member of
    a 'network' that is a single provider."""
    consultation = ConsultationFactory(programme=world.programme_a, visibility="open")
    own = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    response = client_for("network_member").post(
        f"/api/v1/comments/{own.pk}/{action}/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.network_member.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_network_comment"
    assert response.json()["error"]["message"] == message
    assert not CoSignature.objects.exists()


def test_signing_twice_is_refused(client_for, world, network_comment):
    client = client_for("network_member")
    cosign(client, network_comment, world.network_member)
    response = cosign(client, network_comment, world.network_member)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_cosigned"
    assert CoSignature.objects.count() == 1


def test_a_withdrawn_signature_is_kept_and_may_be_given_again(client_for, world, network_comment):
    client = client_for("network_member")
    cosign(client, network_comment, world.network_member)
    response = cosign(client, network_comment, world.network_member, "uncosign")
    assert response.status_code == 200
    assert response.json()["cosigners"] == []
    assert CoSignature.objects.filter(withdrawn_at__isnull=False).count() == 1
    again = cosign(client, network_comment, world.network_member)
    assert again.status_code == 200
    assert len(again.json()["cosigners"]) == 1
    assert CoSignature.objects.count() == 2


def test_withdrawing_a_signature_never_given_is_refused(client_for, world, network_comment):
    response = cosign(
        client_for("network_member"), network_comment, world.network_member, "uncosign"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_cosigned"


def test_a_withdrawn_comment_is_not_cosigned(client_for, world, network_comment):
    post(
        client_for("network_rep"), f"/api/v1/comments/{network_comment.pk}/withdraw/", world.network
    )
    response = cosign(client_for("network_member"), network_comment, world.network_member)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "comment_withdrawn"
