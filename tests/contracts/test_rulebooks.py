"""Rulebooks themselves: one per programme, created and renamed by the purchaser's staff."""

from commissioning.models import Event
from contracts.models import Rulebook
from tests.contracts.rulebook_factories import RulebookFactory
from tests.factories import ProgrammeFactory


def test_an_officer_creates_the_rulebook_of_a_programme(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/rulebooks/",
        {"programme": world.programme_a.pk, "title": "Regelbok vårdval"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["programme"]["id"] == world.programme_a.pk
    assert body["versions"] == []
    event = Event.objects.get(verb="rulebook.created")
    assert event.subject_id == str(body["id"])
    assert event.purchaser == world.purchaser_a


def test_a_programme_has_one_rulebook(client_for, world):
    existing = RulebookFactory(programme=world.programme_a)
    response = client_for("officer_a").post(
        "/api/v1/rulebooks/",
        {"programme": world.programme_a.pk, "title": "A second one"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"rulebook": existing.pk}
    assert Rulebook.objects.count() == 1


def test_a_rulebook_for_a_programme_one_cannot_see_is_refused_on_the_field(client_for, world):
    """400 on `programme`, word for word as for an id that does not exist (the convention for
    an id in a body; a 404 is for the object in the address)."""
    client = client_for("manager_b")

    def post(programme_id):
        return client.post(
            "/api/v1/rulebooks/",
            {"programme": programme_id, "title": "Not mine"},
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_b.id),
        )

    hidden, missing = post(world.programme_a.pk), post(987_654)
    assert hidden.status_code == missing.status_code == 400
    assert list(hidden.json()["error"]["fields"]) == ["programme"]
    assert hidden.content.decode().replace(str(world.programme_a.pk), "{id}") == (
        missing.content.decode().replace("987654", "{id}")
    )
    assert not Rulebook.objects.exists()


def test_the_rulebook_list_filters_by_programme(client_for, world):
    """A programme one cannot see is refused as a missing one (tests/commissioning/
    test_named_ids.py); one that one sees and has no rulebook lists none."""
    RulebookFactory(programme=world.programme_a, title="A")
    client = client_for("manager_a")
    hidden = client.get("/api/v1/rulebooks/", {"programme": world.programme_b.pk})
    assert hidden.status_code == 400
    assert list(hidden.json()["error"]["fields"]) == ["programme"]
    spare = ProgrammeFactory(purchaser=world.purchaser_a)
    response = client.get("/api/v1/rulebooks/", {"programme": spare.pk})
    assert response.status_code == 200
    assert response.json()["results"] == []
    mine = client.get("/api/v1/rulebooks/", {"programme": world.programme_a.pk})
    assert [r["title"] for r in mine.json()["results"]] == ["A"]


def test_renaming_a_rulebook_records_before_and_after(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a, title="Old title")
    response = client_for("officer_a").patch(
        f"/api/v1/rulebooks/{rulebook.pk}/",
        {"title": "New title"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 200
    event = Event.objects.get(verb="rulebook.updated")
    assert (event.before["title"], event.after["title"]) == ("Old title", "New title")
