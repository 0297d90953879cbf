"""Clauses: written while their version is a draft, frozen once it has been in
consultation; keys validated and unique per version; renumbering keeps the lineage."""

import pytest

from commissioning.models import Event
from contracts.models import Clause, RulebookVersion
from tests.contracts.rulebook_factories import rulebook_with_version

Status = RulebookVersion.Status
FROZEN = [s for s in Status.values if s != Status.DRAFT]


def send(client, method, path, purchaser, data=None):
    return getattr(client, method)(
        path, data or {}, format="json", HTTP_X_ACTING_FOR=str(purchaser.id)
    )


def clause_events(verb):
    return Event.objects.filter(verb=verb)


@pytest.fixture
def draft(world):
    return rulebook_with_version(
        world.programme_a,
        clauses=[("1", "Scope", "Home care."), ("2", "Reporting", "Monthly.")],
    )


def test_a_clause_is_added_to_a_draft_at_the_end(client_for, world, draft):
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/",
        world.purchaser_a,
        {"key": "4.2A", "heading": "Waiting times", "text": "Report them."},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["key"], body["position"], body["version"]) == ("4.2a", 3, draft.pk)
    event = clause_events("clause.created").get()
    assert event.subject_id == str(body["id"])
    assert event.purchaser == world.purchaser_a


@pytest.mark.parametrize("key", ["4.2.", ".4", "4..2", "4.2ab", "A", "4 2", "§4", "", "4.2-1"])
def test_a_clause_key_must_be_numbers_separated_by_dots(client_for, world, draft, key):
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/",
        world.purchaser_a,
        {"key": key, "heading": "Anything"},
    )
    assert response.status_code == 400
    assert "key" in response.json()["error"]["fields"]
    assert draft.clauses.count() == 2


@pytest.mark.parametrize("key", ["4", "4.2", "4.2.1", "10.12a"])
def test_valid_clause_keys_are_accepted(client_for, world, draft, key):
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/",
        world.purchaser_a,
        {"key": key, "heading": "Anything"},
    )
    assert response.status_code == 201, response.json()


def test_a_duplicate_key_in_a_version_is_refused_naming_the_field(client_for, world, draft):
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/",
        world.purchaser_a,
        {"key": "2", "heading": "Second reporting"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "duplicate_clause_key"
    assert "key" in error["fields"]
    assert draft.clauses.filter(key="2").count() == 1
    assert not clause_events("clause.created").exists()


def test_renumbering_to_a_key_in_use_is_refused(client_for, world, draft):
    clause = draft.clauses.get(key="1")
    response = send(
        client_for("officer_a"),
        "patch",
        f"/api/v1/clauses/{clause.pk}/",
        world.purchaser_a,
        {"key": "2"},
    )
    assert response.status_code == 400
    assert "key" in response.json()["error"]["fields"]
    clause.refresh_from_db()
    assert clause.key == "1"


def test_renumbering_a_clause_keeps_its_lineage(client_for, world, draft):
    clause = draft.clauses.get(key="2")
    response = send(
        client_for("officer_a"),
        "patch",
        f"/api/v1/clauses/{clause.pk}/",
        world.purchaser_a,
        {"key": "5.1", "text": "Every month."},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lineage"] == str(clause.lineage)
    changed = Clause.objects.get(pk=clause.pk)
    assert (changed.key, changed.text, changed.lineage) == ("5.1", "Every month.", clause.lineage)
    event = clause_events("clause.updated").get()
    assert (event.before["key"], event.after["key"]) == ("2", "5.1")


def test_the_lineage_cannot_be_set(client_for, world, draft):
    clause = draft.clauses.get(key="2")
    response = send(
        client_for("officer_a"),
        "patch",
        f"/api/v1/clauses/{clause.pk}/",
        world.purchaser_a,
        {"lineage": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 400
    assert "lineage" in response.json()["error"]["fields"]


def test_an_empty_change_is_refused(client_for, world, draft):
    clause = draft.clauses.get(key="2")
    response = send(
        client_for("officer_a"), "patch", f"/api/v1/clauses/{clause.pk}/", world.purchaser_a
    )
    assert response.status_code == 400
    assert not clause_events("clause.updated").exists()


def test_a_clause_of_a_draft_is_deleted_with_an_event(client_for, world, draft):
    clause = draft.clauses.get(key="1")
    response = send(
        client_for("officer_a"), "delete", f"/api/v1/clauses/{clause.pk}/", world.purchaser_a
    )
    assert response.status_code == 204
    assert not Clause.objects.filter(pk=clause.pk).exists()
    event = clause_events("clause.deleted").get()
    assert event.before["heading"] == "Scope"


def test_the_clauses_of_a_draft_are_reordered(client_for, world, draft):
    first, second = draft.clauses.order_by("position")
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/reorder/",
        world.purchaser_a,
        {"clauses": [second.pk, first.pk]},
    )
    assert response.status_code == 200, response.json()
    assert [c["key"] for c in response.json()["clauses"]] == ["2", "1"]
    event = Event.objects.get(verb="rulebook_version.clauses_reordered")
    assert event.before == {"clause_order": [first.pk, second.pk]}
    assert event.after == {"clause_order": [second.pk, first.pk]}


@pytest.mark.parametrize(
    "order", ["left_out", "twice", "foreign"], ids=["left out", "twice", "foreign"]
)
def test_a_reorder_must_name_every_clause_once(client_for, world, draft, order):
    first, second = draft.clauses.order_by("position")
    other = rulebook_with_version(world.programme_b, clauses=[("1", "Other", "")])
    ids = {
        "left_out": [second.pk],
        "twice": [second.pk, first.pk, first.pk],
        "foreign": [second.pk, first.pk, other.clauses.get().pk],
    }[order]
    response = send(
        client_for("officer_a"),
        "post",
        f"/api/v1/rulebook-versions/{draft.pk}/clauses/reorder/",
        world.purchaser_a,
        {"clauses": ids},
    )
    assert response.status_code == 400
    assert "clauses" in response.json()["error"]["fields"]
    assert list(draft.clauses.order_by("position").values_list("key", flat=True)) == ["1", "2"]


# --- frozen after consultation ------------------------------------------------------------


def frozen_version(world, status):
    return rulebook_with_version(
        world.programme_a, status=status, clauses=[("1", "Scope", "Home care.")]
    )


def assert_refused_as_frozen(response):
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "version_not_editable"
    assert "Make a new version" in error["message"]


@pytest.mark.parametrize("status", FROZEN)
def test_a_clause_cannot_be_changed_once_its_version_was_in_consultation(client_for, world, status):
    version = frozen_version(world, status)
    clause = version.clauses.get()
    response = send(
        client_for("manager_a"),
        "patch",
        f"/api/v1/clauses/{clause.pk}/",
        world.purchaser_a,
        {"text": "Changed after the consultation.", "key": "9"},
    )
    assert_refused_as_frozen(response)
    unchanged = Clause.objects.get(pk=clause.pk)
    assert (unchanged.key, unchanged.text) == ("1", "Home care.")
    assert not Event.objects.exists()


@pytest.mark.parametrize("status", FROZEN)
def test_a_clause_cannot_be_added_once_its_version_was_in_consultation(client_for, world, status):
    version = frozen_version(world, status)
    response = send(
        client_for("manager_a"),
        "post",
        f"/api/v1/rulebook-versions/{version.pk}/clauses/",
        world.purchaser_a,
        {"key": "2", "heading": "Added late"},
    )
    assert_refused_as_frozen(response)
    assert version.clauses.count() == 1


@pytest.mark.parametrize("status", FROZEN)
def test_a_clause_cannot_be_deleted_once_its_version_was_in_consultation(client_for, world, status):
    version = frozen_version(world, status)
    clause = version.clauses.get()
    response = send(
        client_for("manager_a"), "delete", f"/api/v1/clauses/{clause.pk}/", world.purchaser_a
    )
    assert_refused_as_frozen(response)
    assert Clause.objects.filter(pk=clause.pk).exists()


@pytest.mark.parametrize("status", FROZEN)
def test_clauses_cannot_be_reordered_once_their_version_was_in_consultation(
    client_for, world, status
):
    version = frozen_version(world, status)
    clause = version.clauses.get()
    response = send(
        client_for("manager_a"),
        "post",
        f"/api/v1/rulebook-versions/{version.pk}/clauses/reorder/",
        world.purchaser_a,
        {"clauses": [clause.pk]},
    )
    assert_refused_as_frozen(response)
    assert not Event.objects.exists()
