"""The diff between two versions of a rulebook, clauses matched by lineage (the rules are in
contracts/selectors/rulebooks.py's docstring)."""

import pytest

from contracts.models import RulebookVersion
from contracts.services import rulebooks as rulebook_services
from tests.contracts.rulebook_factories import (
    ClauseFactory,
    RulebookFactory,
    RulebookVersionFactory,
    rulebook_with_version,
)

Status = RulebookVersion.Status


def make_next_version(client, world, rulebook):
    response = client.post(
        f"/api/v1/rulebooks/{rulebook.pk}/versions/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201, response.json()
    return RulebookVersion.objects.get(pk=response.json()["id"])


@pytest.fixture
def two_versions(client_for, world):
    """v1 (consulted) and v2, a copy of it made through the API, ready to be edited."""
    v1 = rulebook_with_version(
        world.programme_a,
        status=Status.CONSULTATION_CLOSED,
        clauses=[
            ("1", "Scope", "Home care in the whole region."),
            ("2", "Reporting", "The provider reports waiting times every month."),
            ("4.2", "Staffing", "A nurse is on call."),
            ("5", "Notice", "Three months."),
            ("6", "Fees", "Set by the region."),
        ],
    )
    v2 = make_next_version(client_for("officer_a"), world, v1.rulebook)
    return v1, v2


def diff(client, new, old):
    return client.get(f"/api/v1/rulebook-versions/{new.pk}/diff/", {"against": old.pk})


def test_an_untouched_copy_has_no_differences(client_for, two_versions):
    v1, v2 = two_versions
    response = diff(client_for("provider_in_a"), v2, v1)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["added"], body["removed"], body["changed"], body["moved"]) == ([], [], [], [])
    assert body["unchanged"] == 5
    assert body["from_version"]["number"] == 1
    assert body["to_version"]["number"] == 2


def test_the_diff_shows_added_removed_changed_and_moved_clauses(client_for, world, two_versions):
    v1, v2 = two_versions
    clauses = {c.key: c for c in v2.clauses.all()}
    officer = client_for("officer_a")
    acting = {"format": "json", "HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}
    # Changed in place.
    officer.patch(
        f"/api/v1/clauses/{clauses['2'].pk}/",
        {"text": "The provider reports waiting times every quarter."},
        **acting,
    )
    # Renumbered: 4.2 -> 5.1 (and its text changed too).
    officer.patch(
        f"/api/v1/clauses/{clauses['4.2'].pk}/",
        {"key": "5.1", "text": "A nurse is on call at night."},
        **acting,
    )
    # Deleted, and a new clause written under the same key.
    officer.delete(f"/api/v1/clauses/{clauses['6'].pk}/", **acting)
    officer.post(
        f"/api/v1/rulebook-versions/{v2.pk}/clauses/",
        {"key": "6", "heading": "Fees", "text": "Agreed with the provider network."},
        **acting,
    )
    officer.post(
        f"/api/v1/rulebook-versions/{v2.pk}/clauses/",
        {"key": "7", "heading": "Clinical governance", "text": "A joint board."},
        **acting,
    )

    body = diff(client_for("provider_in_a"), v2, v1).json()

    assert sorted(c["key"] for c in body["added"]) == ["6", "7"]
    assert [c["key"] for c in body["removed"]] == ["6"]
    assert body["removed"][0]["text"] == "Set by the region."
    assert body["unchanged"] == 2  # 1 and 5

    [changed] = body["changed"]
    assert (changed["key"], changed["old_key"]) == ("2", "2")
    [text_change] = changed["changes"]
    assert text_change["field"] == "text"
    assert {"op": "delete", "text": "month."} in text_change["words"]
    assert {"op": "insert", "text": "quarter."} in text_change["words"]

    [moved] = body["moved"]
    assert (moved["old_key"], moved["key"]) == ("4.2", "5.1")
    assert moved["old_id"] == v1.clauses.get(key="4.2").pk
    assert moved["changes"][0]["words"] == [
        {"op": "equal", "text": "A nurse is on "},
        {"op": "delete", "text": "call."},
        {"op": "insert", "text": "call at night."},
    ]
    # A renumbered clause is neither removed nor added.
    assert "4.2" not in [c["key"] for c in body["removed"]]
    assert "5.1" not in [c["key"] for c in body["added"]]


def test_a_renumbering_alone_is_a_move_without_changes(client_for, world, two_versions):
    v1, v2 = two_versions
    clause = v2.clauses.get(key="5")
    client_for("officer_a").patch(
        f"/api/v1/clauses/{clause.pk}/",
        {"key": "8"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    body = diff(client_for("manager_a"), v2, v1).json()
    assert [(m["old_key"], m["key"], m["changes"]) for m in body["moved"]] == [("5", "8", [])]
    assert body["unchanged"] == 4


def test_a_changed_heading_is_a_change(client_for, world, two_versions):
    v1, v2 = two_versions
    clause = v2.clauses.get(key="1")
    client_for("officer_a").patch(
        f"/api/v1/clauses/{clause.pk}/",
        {"heading": "Scope of the service"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    [changed] = diff(client_for("manager_a"), v2, v1).json()["changed"]
    assert changed["changes"] == [
        {"field": "heading", "old": "Scope", "new": "Scope of the service"}
    ]


def test_a_diff_the_other_way_round_swaps_added_and_removed(client_for, world, two_versions):
    v1, v2 = two_versions
    client_for("officer_a").post(
        f"/api/v1/rulebook-versions/{v2.pk}/clauses/",
        {"key": "9", "heading": "New"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    body = diff(client_for("manager_a"), v1, v2).json()
    assert [c["key"] for c in body["removed"]] == ["9"]
    assert body["added"] == []


def test_lineage_is_followed_across_more_than_one_version(client_for, world, two_versions):
    v1, v2 = two_versions
    officer = client_for("officer_a")
    acting = {"format": "json", "HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}
    officer.patch(f"/api/v1/clauses/{v2.clauses.get(key='1').pk}/", {"key": "1.1"}, **acting)
    rulebook_services.open_consultation_on_version(
        actor=world.people["officer_a"], acting_for=world.purchaser_a, version=v2
    )
    v3 = make_next_version(officer, world, v1.rulebook)
    officer.patch(f"/api/v1/clauses/{v3.clauses.get(key='1.1').pk}/", {"key": "2.1"}, **acting)
    body = diff(client_for("manager_a"), v3, v1).json()
    assert [(m["old_key"], m["key"]) for m in body["moved"]] == [("1", "2.1")]


def test_versions_of_different_rulebooks_cannot_be_compared(client_for, world):
    mine = rulebook_with_version(world.programme_a)
    other = RulebookVersionFactory(rulebook=RulebookFactory(programme=world.programme_b), number=1)
    ClauseFactory(version=other)
    response = diff(client_for("manager_a"), mine, other)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_diff_base"
    assert "against" in error["fields"]


@pytest.mark.parametrize("against", [None, "", "abc", "999999"])
def test_a_missing_or_unknown_base_version_is_refused(client_for, world, against):
    version = rulebook_with_version(world.programme_a)
    params = {} if against is None else {"against": against}
    response = client_for("manager_a").get(f"/api/v1/rulebook-versions/{version.pk}/diff/", params)
    assert response.status_code == 400
    assert "against" in response.json()["error"]["fields"]


def test_two_clauses_that_swap_keys_are_two_moves(client_for, world, two_versions):
    v1, v2 = two_versions
    officer = client_for("officer_a")
    acting = {"format": "json", "HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}
    scope, reporting = v2.clauses.get(key="1"), v2.clauses.get(key="2")
    # Keys are unique within a version, so a swap goes through a free key.
    for clause, key in ((scope, "99"), (reporting, "1"), (scope, "2")):
        response = officer.patch(f"/api/v1/clauses/{clause.pk}/", {"key": key}, **acting)
        assert response.status_code == 200, response.json()
    body = diff(client_for("manager_a"), v2, v1).json()
    assert sorted((m["old_key"], m["key"]) for m in body["moved"]) == [("1", "2"), ("2", "1")]
    assert (body["added"], body["removed"], body["changed"]) == ([], [], [])
