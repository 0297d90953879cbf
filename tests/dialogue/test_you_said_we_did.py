""" "You said, we did": clause by clause, the comments (current text), their responses and
what the next version did to the clause, only as far as the viewer may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from contracts.models import Clause
from dialogue.models import CommentRevision
from tests.contracts.factories import ContractFactory
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    ResponseFactory,
    clause,
    close,
    next_version,
    scene,
)
from tests.factories import ProviderFactory

MAX_QUERIES = 14


@pytest.fixture
def setting(world):
    return scene(world)


def report(client_for, setting, actor):
    answer = client_for(actor).get(
        f"/api/v1/consultations/{setting.consultation.pk}/you-said-we-did/"
    )
    assert answer.status_code == 200, answer.json()
    return answer.json()


def by_key(body):
    return {entry["clause"]["key"]: entry for entry in body["clauses"]}


def test_every_clause_of_the_version_is_listed_with_its_comments(client_for, setting):
    body = report(client_for, setting, "officer_a")
    clauses = by_key(body)
    assert list(clauses) == ["1", "2", "3"]
    assert clauses["1"]["comments"] == []
    assert [c["id"] for c in clauses["2"]["comments"]] == [setting.provider_comment.pk]
    network = clauses["3"]["comments"][0]
    assert network["is_network_comment"] is True
    assert network["cosigners"] == [{"id": setting.network_member.pk, "name": "Network member"}]
    assert [c["id"] for c in body["general"]] == [setting.general_comment.pk]
    assert body["next_version"] is None
    assert clauses["2"]["next_version"] is None


def test_a_comment_shows_its_current_text_the_last_revision(client_for, setting):
    CommentRevision.objects.create(
        comment=setting.provider_comment, number=2, body="Öppet till 20:00, tack."
    )
    comment = by_key(report(client_for, setting, "officer_a"))["2"]["comments"][0]
    assert comment["text"] == "Öppet till 20:00, tack."


def test_the_html_of_a_comment_is_sanitised(client_for, setting):
    CommentRevision.objects.create(
        comment=setting.provider_comment,
        number=2,
        body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="a()">',
    )
    html = by_key(report(client_for, setting, "officer_a"))["2"]["comments"][0]["text_html"]
    # Shown as text, never as markup a browser or the PDF renderer would run.
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_responses_and_their_changed_clause_are_shown_after_the_close(client_for, setting):
    version_2 = next_version(setting.consultation, changes={"2": "Open 08:00 to 18:00."})
    setting.response.changed_clause = version_2.clauses.get(key="2")
    setting.response.save()
    close(setting.consultation)
    body = report(client_for, setting, "provider_in_a")
    assert body["responses_included"] is True
    response = by_key(body)["2"]["comments"][0]["response"]
    assert response["outcome"] == "accepted"
    assert response["reason"] == setting.response.reason
    assert response["changed_clause"]["key"] == "2"
    assert response["changed_clause"]["version"]["number"] == 2


def test_the_clause_diff_to_the_next_version_follows_the_lineage(client_for, setting):
    version_2 = next_version(
        setting.consultation,
        changes={"2": "The centre is open 08:00 to 19:00 on weekdays.", "3": None},
    )
    renumbered = version_2.clauses.get(key="1")
    renumbered.key = "1a"
    renumbered.save()
    Clause.objects.create(version=version_2, key="4", heading="New", text="Brand new.")
    body = report(client_for, setting, "officer_a")
    assert body["next_version"]["number"] == 2
    clauses = by_key(body)
    changed = clauses["2"]["next_version"]
    assert changed["change"] == "changed"
    assert changed["clause"]["key"] == "2"
    assert {"op": "delete", "text": "17:00 "} in changed["text_diff"]
    assert {"op": "insert", "text": "19:00 "} in changed["text_diff"]
    assert clauses["1"]["next_version"]["change"] == "moved"
    assert clauses["1"]["next_version"]["clause"]["key"] == "1a"
    assert clauses["3"]["next_version"] == {
        "change": "removed",
        "clause": None,
        "heading": None,
        "text_diff": None,
    }
    assert [c["key"] for c in body["added_clauses"]] == ["4"]


def test_an_unchanged_clause_says_so(client_for, setting):
    next_version(setting.consultation)
    change = by_key(report(client_for, setting, "officer_a"))["1"]["next_version"]
    assert change["change"] == "unchanged"
    assert change["text_diff"] is None


def test_a_provider_before_the_close_sees_its_own_comments_and_no_response(client_for, setting):
    body = report(client_for, setting, "provider_in_a")
    assert body["responses_included"] is False
    clauses = by_key(body)
    assert clauses["3"]["comments"] == []
    comment = clauses["2"]["comments"][0]
    assert comment["id"] == setting.provider_comment.pk
    assert comment["response"] is None


def test_staff_see_draft_responses_before_the_close(client_for, setting):
    body = report(client_for, setting, "officer_a")
    assert body["responses_included"] is True
    assert body["responses_published"] is False
    assert by_key(body)["2"]["comments"][0]["response"]["outcome"] == "accepted"


def test_the_report_runs_a_constant_number_of_queries(client_for, setting):
    client = client_for("officer_a")
    person = setting.people["officer_a"]
    version_2 = next_version(setting.consultation, changes={"2": "Changed."})
    counts = []
    for extra in (0, 30):
        for n in range(extra):
            comment = CommentFactory(
                consultation=setting.consultation,
                organisation=ProviderFactory(),
                clause=clause(setting.consultation, str(n % 3 + 1)),
                cosigners=[setting.network_member],
            )
            ResponseFactory(comment=comment, changed_clause=version_2.clauses.get(key="2"))
        policies.forget_standing(person)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(f"/api/v1/consultations/{setting.consultation.pk}/you-said-we-did/")
        assert answer.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= MAX_QUERIES


def test_a_consultation_on_a_contract_version_lists_its_comments_as_general(client_for, world):
    contract = ContractFactory(programme=world.programme_a)
    consultation = ConsultationFactory(
        programme=world.programme_a,
        rulebook_version=None,
        contract_version=contract.versions.get(),
    )
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    answer = client_for("officer_a").get(
        f"/api/v1/consultations/{consultation.pk}/you-said-we-did/"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["version"] is None
    assert body["clauses"] == []
    assert [c["id"] for c in body["general"]] == [comment.pk]
