"""The rulebook pages: who sees and edits what, a new draft from the last version, clauses
added, reworded, renumbered, moved and deleted through contracts.services, refusals on the
form with nothing saved, and the diff showing a renumbered clause as moved."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import Clause, RulebookVersion
from tests.contracts.rulebook_factories import rulebook_with_version
from tests.factories import ProgrammeFactory
from tests.pages import signed_in, text

Status = RulebookVersion.Status


@pytest.fixture
def adopted(world):
    return rulebook_with_version(
        world.programme_a,
        status=Status.ADOPTED,
        clauses=[("1", "Scope", "Home care."), ("2", "Reporting", "Monthly reports.")],
    )


@pytest.fixture
def draft(world, adopted):
    client = signed_in(world, "manager_a")
    response = client.post(f"/rulebooks/{adopted.rulebook_id}/versions/", {"summary": "Tighter"})
    assert response.status_code == 302
    return RulebookVersion.objects.get(rulebook=adopted.rulebook, number=2)


def keys(version) -> list[str]:
    return list(version.clauses.order_by("position").values_list("key", flat=True))


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_shows_the_rulebooks_a_person_sees_in_constant_queries(world, adopted):
    rulebook_with_version(world.programme_b, clauses=[("1", "B", "b")])
    client = signed_in(world, "provider_in_a")
    page = text(client.get("/rulebooks/"))
    assert adopted.rulebook.title in page
    assert "Programme B" not in page
    one = queries_of(client, "/rulebooks/")
    for number in range(6):
        programme = ProgrammeFactory(
            purchaser=world.purchaser_a, name=f"More {number}", participants=[world.provider_in_a]
        )
        rulebook_with_version(programme, clauses=[("1", "S", "s")])
    assert queries_of(client, "/rulebooks/") == one
    bad = signed_in(world).get("/rulebooks/?sort=nonsense")
    assert bad.status_code == 400
    assert "Sort by:" in text(bad)


def test_a_manager_makes_a_new_draft_copying_the_last_version(world, adopted, draft):
    assert draft.status == Status.DRAFT
    assert keys(draft) == ["1", "2"]
    assert draft.based_on == adopted
    page = text(signed_in(world, "manager_a").get(f"/rulebook-versions/{draft.pk}/"))
    assert "Add the clause" in page
    assert "Move down" in page


def test_a_second_draft_is_refused_on_the_form_and_nothing_is_made(world, adopted, draft):
    response = signed_in(world, "officer_a").post(
        f"/rulebooks/{adopted.rulebook_id}/versions/", {"summary": "Another"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "error-summary" in page
    assert "Version 2 is still a draft" in page
    assert "Another" in page  # as typed
    assert RulebookVersion.objects.filter(rulebook=adopted.rulebook).count() == 2


@pytest.mark.parametrize("actor", ["provider_in_a", "politician_a"])
def test_those_who_only_read_see_no_edit_buttons_and_are_refused(world, adopted, draft, actor):
    client = signed_in(world, actor)
    version_page = client.get(f"/rulebook-versions/{adopted.pk}/")
    if version_page.status_code == 200:
        assert "Add the clause" not in text(version_page)
        assert "Make a new draft" not in text(client.get(f"/rulebooks/{adopted.rulebook_id}/"))
    clause = draft.clauses.get(key="1")
    refused = [
        client.post(
            f"/rulebook-versions/{draft.pk}/clauses/", {"new-key": "9", "new-heading": "X"}
        ),
        client.post(f"/rulebook-clauses/{clause.pk}/edit/", {"key": "9", "heading": "X"}),
        client.post(f"/rulebook-clauses/{clause.pk}/delete/"),
        client.post(f"/rulebook-clauses/{clause.pk}/move-down/"),
        client.post(f"/rulebooks/{adopted.rulebook_id}/versions/"),
    ]
    assert all(r.status_code in (403, 404) for r in refused), [r.status_code for r in refused]
    assert keys(draft) == ["1", "2"]
    assert draft.clauses.get(key="1").heading == "Scope"


def test_another_purchasers_manager_finds_nothing(world, adopted, draft):
    client = signed_in(world, "manager_b")
    assert client.get(f"/rulebooks/{adopted.rulebook_id}/").status_code == 404
    assert client.get(f"/rulebook-versions/{draft.pk}/").status_code == 404
    clause = draft.clauses.get(key="1")
    assert client.post(f"/rulebook-clauses/{clause.pk}/delete/").status_code == 404
    assert draft.clauses.count() == 2


def test_clauses_are_added_reworded_renumbered_moved_and_deleted(world, draft):
    client = signed_in(world, "officer_a")
    added = client.post(
        f"/rulebook-versions/{draft.pk}/clauses/",
        {"new-key": "3", "new-heading": "Waiting times", "new-text": "Report them."},
    )
    assert added.status_code == 302
    assert keys(draft) == ["1", "2", "3"]
    reporting = draft.clauses.get(key="2")
    edited = client.post(
        f"/rulebook-clauses/{reporting.pk}/edit/",
        {"key": "4", "heading": "Reporting", "text": "Weekly reports."},
    )
    assert edited.status_code == 302
    reporting.refresh_from_db()
    assert (reporting.key, reporting.text) == ("4", "Weekly reports.")
    scope = draft.clauses.get(key="1")
    assert client.post(f"/rulebook-clauses/{scope.pk}/move-down/").status_code == 302
    assert keys(draft) == ["4", "1", "3"]
    assert client.post(f"/rulebook-clauses/{scope.pk}/delete/").status_code == 302
    assert keys(draft) == ["4", "3"]


def test_a_clause_number_taken_is_refused_beside_the_field_and_nothing_changes(world, draft):
    reporting = draft.clauses.get(key="2")
    response = signed_in(world, "manager_a").post(
        f"/rulebook-clauses/{reporting.pk}/edit/",
        {"key": "1", "heading": "Reporting rewritten", "text": "Weekly."},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved yet" in page
    assert "Clause number: Already used in this version." in page
    assert "Reporting rewritten" in page  # as typed
    reporting.refresh_from_db()
    assert (reporting.key, reporting.heading) == ("2", "Reporting")


def test_a_malformed_clause_number_is_refused_on_the_add_form(world, draft):
    response = signed_in(world, "manager_a").post(
        f"/rulebook-versions/{draft.pk}/clauses/",
        {"new-key": "4..2", "new-heading": "Typed heading"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Clause number: Numbers separated by dots" in page
    assert 'value="Typed heading"' in page
    assert draft.clauses.count() == 2


def test_an_adopted_version_is_not_edited(world, adopted):
    client = signed_in(world, "manager_a")
    assert "Add the clause" not in text(client.get(f"/rulebook-versions/{adopted.pk}/"))
    response = client.post(
        f"/rulebook-versions/{adopted.pk}/clauses/", {"new-key": "9", "new-heading": "New"}
    )
    assert response.status_code == 409
    assert "can no longer be edited" in text(response)
    assert adopted.clauses.count() == 2


def test_the_diff_shows_a_renumbered_clause_as_moved_not_removed_and_added(world, adopted, draft):
    client = signed_in(world, "manager_a")
    reporting = draft.clauses.get(key="2")
    client.post(
        f"/rulebook-clauses/{reporting.pk}/edit/",
        {"key": "5.1", "heading": "Reporting", "text": "Weekly reports."},
    )
    response = client.get(f"/rulebook-versions/{draft.pk}/diff/?against={adopted.pk}")
    assert response.status_code == 200
    page = text(response)
    assert "What changed from version 1 to version 2" in page
    assert "1 moved, 0 changed, 0 added, 0 removed, 1 unchanged." in page
    moved = re.search(r'<li class="diff-moved">(.*?)</li>', page).group(1)
    assert "2 moved to 5.1" in moved
    assert re.search(r"<del>.*Monthly", moved)
    assert re.search(r"<ins>.*Weekly", moved)
    assert "No clause was removed." in page
    assert "No clause was added." in page


def test_a_diff_against_a_version_of_another_rulebook_is_a_400_naming_the_field(world, draft):
    other = rulebook_with_version(world.programme_b)
    response = signed_in(world, "manager_a").get(
        f"/rulebook-versions/{draft.pk}/diff/?against={other.pk}"
    )
    assert response.status_code == 400
    assert "Compare with version:" in text(response)
    assert Clause.objects.filter(version=draft).count() == 2
