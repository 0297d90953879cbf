"""A comment may quote a span of its clause: the offsets must lie inside the clause text and
the quoted text must be exactly those characters."""

import pytest

from dialogue.models import Comment
from tests.dialogue.consultation_factories import CLAUSE_TEXT, ConsultationFactory, post

# CLAUSE_TEXT = "Vårdgivaren ska rapportera väntetider varje månad till regionen."
START = CLAUSE_TEXT.index("väntetider")
END = START + len("väntetider")


@pytest.fixture
def consultation(world):
    return ConsultationFactory(programme=world.programme_a)


def submit(client_for, world, consultation, **span):
    clause = consultation.rulebook_version.clauses.get()
    return post(
        client_for("provider_in_a"),
        f"/api/v1/consultations/{consultation.pk}/comments/",
        world.provider_in_a,
        {"kind": "objection", "body": "Which waiting times?", "clause": clause.pk, **span},
    )


def test_a_quoted_span_matching_the_clause_is_kept(client_for, world, consultation):
    response = submit(
        client_for, world, consultation, span_start=START, span_end=END, quoted_text="väntetider"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["span_start"], body["span_end"], body["quoted_text"]) == (
        START,
        END,
        "väntetider",
    )


@pytest.mark.parametrize(
    ("span", "field"),
    [
        ({"span_start": len(CLAUSE_TEXT), "span_end": len(CLAUSE_TEXT) + 3}, "span_start"),
        ({"span_start": 0, "span_end": len(CLAUSE_TEXT) + 1}, "span_end"),
        ({"span_start": 10, "span_end": 10}, "span_end"),
        ({"span_start": 10, "span_end": 5}, "span_end"),
        ({"span_start": START, "span_end": END, "quoted_text": "vantetider"}, "quoted_text"),
        ({"span_start": START, "span_end": END}, "quoted_text"),
        ({"span_start": START}, "span_end"),
        ({"span_end": END}, "span_start"),
        ({"quoted_text": "väntetider"}, "span_start"),
        ({"span_start": -1, "span_end": 3}, "span_start"),
    ],
)
def test_a_bad_span_is_refused_naming_the_field(client_for, world, consultation, span, field):
    response = submit(client_for, world, consultation, **span)
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_a_span_without_a_clause_is_refused(client_for, world, consultation):
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/consultations/{consultation.pk}/comments/",
        world.provider_in_a,
        {"kind": "question", "body": "?", "span_start": 0, "span_end": 3, "quoted_text": "Vår"},
    )
    assert response.status_code == 400
    assert "clause" in response.json()["error"]["fields"]
    assert not Comment.objects.exists()
