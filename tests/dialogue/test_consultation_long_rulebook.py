"""A long rulebook on the provider's consultation page: the clause index (key, heading, the
comments the reader may see, how the clause changed), the "changed clauses only" filter (a
GET parameter, plain links), the comment count beside each clause's heading, one comment
control per clause, and a query count that does not grow with the number of clauses."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import Clause, RulebookVersion
from tests.contracts.rulebook_factories import RulebookFactory, RulebookVersionFactory
from tests.dialogue.consultation_factories import CommentFactory, ConsultationFactory
from tests.factories import ProgrammeFactory
from tests.pages import signed_in, text

CHANGED_EVERY = 10  # clause 10, 20, … of version 2 has new words


def long_rulebook(world, clauses: int):
    """A consultation on version 2 of a rulebook of `clauses` clauses, made from version 1:
    every tenth clause changed, and one clause new at the end; in a programme of its own
    (one rulebook a programme) of purchaser A, with the provider in A and the network."""
    programme = ProgrammeFactory(
        purchaser=world.purchaser_a, participants=[world.provider_in_a, world.network]
    )
    rulebook = RulebookFactory(programme=programme)
    first = RulebookVersionFactory(
        rulebook=rulebook, number=1, status=RulebookVersion.Status.ADOPTED
    )
    second = RulebookVersionFactory(
        rulebook=rulebook, number=2, status=RulebookVersion.Status.IN_CONSULTATION, based_on=first
    )
    lineages = [uuid.uuid4() for _ in range(clauses)]

    def clause(version, number, text):
        return Clause(
            version=version,
            key=f"{number}",
            lineage=lineages[number - 1],
            position=number,
            heading=f"Heading of clause {number}",
            text=text,
        )

    Clause.objects.bulk_create(
        clause(first, n, f"The provider reports item {n} every month.") for n in range(1, clauses)
    )
    Clause.objects.bulk_create(
        clause(
            second,
            n,
            f"The provider reports item {n} every {'week' if n % CHANGED_EVERY == 0 else 'month'}.",
        )
        for n in range(1, clauses + 1)  # the last clause is new
    )
    return ConsultationFactory(
        programme=programme,
        rulebook_version=second,
        invited=[world.provider_in_a, world.network],
    )


def on(consultation, key):
    return consultation.rulebook_version.clauses.get(key=key)


@pytest.fixture
def consultation(world):
    consultation = long_rulebook(world, 12)
    for body in ("First.", "Second."):
        CommentFactory(
            consultation=consultation,
            organisation=world.provider_in_a,
            clause=on(consultation, "10"),
            body=body,
        )
    CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        clause=on(consultation, "3"),
        body="On an unchanged clause.",
    )
    # Private until the close: the provider in A does not see the network's comment.
    CommentFactory(
        consultation=consultation,
        organisation=world.network,
        clause=on(consultation, "3"),
        body="The network's.",
    )
    return consultation


def page(world, consultation, query="", actor="provider_in_a", **headers):
    return signed_in(world, actor).get(f"/consultations/{consultation.pk}/{query}", **headers)


def plain(html: str) -> str:
    """The words of a piece of the page, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def index_entries(html: str) -> list[str]:
    nav = re.search(r'<nav class="clause-index".*?</nav>', html, re.S).group(0)
    return [plain(item) for item in re.findall(r"<li>(.*?)</li>", nav)]


def test_the_index_links_every_clause_with_its_change_and_the_comments_the_reader_may_see(
    world, consultation
):
    response = page(world, consultation)
    assert response.status_code == 200
    html = text(response)
    entries = index_entries(html)
    assert len(entries) == 12
    assert entries[0] == "1 Heading of clause 1"
    assert entries[2] == "3 Heading of clause 3 1 comment"  # not the network's private one
    assert entries[9] == "10 Heading of clause 10 Changed 2 comments"
    assert entries[11] == "12 Heading of clause 12 New clause"
    clause_10 = on(consultation, "10")
    assert f'<a href="#clause-{clause_10.pk}">10 Heading of clause 10</a>' in html
    assert f'<section class="clause" id="clause-{clause_10.pk}"' in html


def test_each_clause_heading_has_its_comment_count_and_one_comment_control(world, consultation):
    html = text(page(world, consultation))
    heading = re.search(r'<h3 id="clause-\d+-heading">10 Heading of clause 10.*?</h3>', html)
    assert plain(heading.group(0)) == "10 Heading of clause 10 Changed 2 comments"
    heading = re.search(r'<h3 id="clause-\d+-heading">1 Heading of clause 1 .*?</h3>', html)
    assert plain(heading.group(0)) == "1 Heading of clause 1 No comments"
    assert html.count('class="comment-on-clause"') == 12
    assert "comment-on-selection" not in html
    assert html.count("Comment on the whole clause</") == 0


def test_the_counts_are_in_the_readers_language(world, consultation):
    html = text(page(world, consultation, HTTP_ACCEPT_LANGUAGE="sv"))
    assert "10 Heading of clause 10 Ändrad 2 synpunkter" in " ".join(index_entries(html))
    assert "Innehållsförteckning" in html
    html = text(page(world, consultation, HTTP_ACCEPT_LANGUAGE="nb"))
    assert "10 Heading of clause 10 Endret 2 innspill" in " ".join(index_entries(html))


def test_the_filter_shows_only_the_changed_clauses_without_script(world, consultation):
    html = text(page(world, consultation))
    assert "All clauses (12)" in html
    assert "Changed clauses only (2 since version 1)" in html
    assert 'href="?changed=1#clauses-heading"' in html

    response = page(world, consultation, "?changed=1")
    assert response.status_code == 200
    html = text(response)
    assert [entry.split(" Heading")[0] for entry in index_entries(html)] == ["10", "12"]
    assert html.count('<section class="clause" id=') == 2
    assert "On an unchanged clause." not in html  # its clause is not shown
    assert "General comments" not in html  # and it is not passed off as a general one
    assert re.search(r'<a href="[^"]*\?changed=1#clauses-heading" aria-current="page">', html)
    # The form still offers every clause.
    assert html.count("<option value=") >= 12


def test_a_filter_value_the_page_does_not_know_is_refused_with_what_to_do(world, consultation):
    response = page(world, consultation, "?changed=yes")
    assert response.status_code == 400
    assert "Changed clauses only" in text(response)


def test_a_first_version_has_no_filter(world):
    consultation = ConsultationFactory(programme=world.programme_a)
    html = text(page(world, consultation, "?changed=1"))
    assert "Changed clauses only" not in html
    assert len(index_entries(html)) == 1


def test_the_page_asks_as_many_queries_for_120_clauses_as_for_12(world, consultation):
    small = page_queries(world, consultation)
    large = long_rulebook(world, 120)
    for key in ("10", "50", "120"):
        CommentFactory(consultation=large, organisation=world.provider_in_a, clause=on(large, key))
    response, queries = page_queries(world, large, with_response=True)
    assert len(index_entries(text(response))) == 120
    assert queries == small
    response, filtered = page_queries(world, large, "?changed=1", with_response=True)
    assert len(index_entries(text(response))) == 12  # 10, 20, …, 110 changed; 120 new
    assert filtered == small


def page_queries(world, consultation, query="", *, with_response=False):
    client = signed_in(world, "provider_in_a")
    client.get(f"/consultations/{consultation.pk}/{query}")  # sessions and caches warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/consultations/{consultation.pk}/{query}")
    assert response.status_code == 200
    return (response, len(captured)) if with_response else len(captured)
