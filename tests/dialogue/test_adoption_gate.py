"""The adoption gate: a rulebook version is adopted only when every submitted comment of its
consultations has a response (DESIGN.md)."""

import pytest

from commissioning.models import Event
from contracts.models import RulebookVersion
from dialogue.models import Comment
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    ResponseFactory,
    clause,
    close,
)

Status = RulebookVersion.Status


@pytest.fixture
def consultation(world):
    consultation = close(
        ConsultationFactory(programme=world.programme_a, invited=[world.provider_in_a])
    )
    version = consultation.rulebook_version
    version.status = Status.CONSULTATION_CLOSED
    version.save()
    return consultation


def adopt(client_for, world, version):
    return client_for("manager_a").post(
        f"/api/v1/rulebook-versions/{version.pk}/adopt/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.pk),
    )


def comment(consultation, organisation, key=None, **values):
    anchor = clause(consultation, key) if key else None
    return CommentFactory(
        consultation=consultation, organisation=organisation, clause=anchor, **values
    )


def test_adoption_is_refused_while_comments_are_unanswered(client_for, world, consultation):
    comment(consultation, world.provider_in_a, "3")
    comment(consultation, world.provider_in_a, "1")
    comment(consultation, world.provider_in_a, "3")
    comment(consultation, world.provider_in_a)
    ResponseFactory(comment=comment(consultation, world.provider_in_a, "2"))
    version = consultation.rulebook_version
    answer = adopt(client_for, world, version)
    assert answer.status_code == 409, answer.json()
    error = answer.json()["error"]
    assert error["code"] == "unanswered_comments"
    # Clauses in the order of the rulebook, each once; the answered clause 2 is not listed.
    assert error["details"] == {"count": 4, "clauses": ["1", "3"], "general": 1}
    assert "4 comment(s)" in error["message"]
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION_CLOSED
    assert version.adopted_at is None
    assert not Event.objects.filter(verb="rulebook_version.adopted").exists()


def test_withdrawn_comments_do_not_hold_adoption_back(client_for, world, consultation):
    comment(consultation, world.provider_in_a, "1", status=Comment.Status.WITHDRAWN)
    answer = adopt(client_for, world, consultation.rulebook_version)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == Status.ADOPTED


def test_adoption_goes_through_once_every_comment_is_answered(client_for, world, consultation):
    for key in ("1", "2", None):
        ResponseFactory(comment=comment(consultation, world.provider_in_a, key))
    answer = adopt(client_for, world, consultation.rulebook_version)
    assert answer.status_code == 200, answer.json()
    consultation.rulebook_version.refresh_from_db()
    assert consultation.rulebook_version.status == Status.ADOPTED


def test_unanswered_comments_of_every_consultation_on_the_version_count(
    client_for, world, consultation
):
    ResponseFactory(comment=comment(consultation, world.provider_in_a, "1"))
    second = close(
        ConsultationFactory(
            programme=world.programme_a, rulebook_version=consultation.rulebook_version
        )
    )
    comment(second, world.network, "2")
    answer = adopt(client_for, world, consultation.rulebook_version)
    assert answer.status_code == 409
    assert answer.json()["error"]["details"] == {"count": 1, "clauses": ["2"], "general": 0}


def test_comments_on_another_version_do_not_hold_this_one_back(client_for, world, consultation):
    other = ConsultationFactory(programme=world.programme_b)
    comment(other, world.provider_outside, "1")
    answer = adopt(client_for, world, consultation.rulebook_version)
    assert answer.status_code == 200, answer.json()
