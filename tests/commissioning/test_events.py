"""The Event log: written with its change or not at all, and read through the policy."""

import pytest

from commissioning.models import Event, Programme
from commissioning.services.events import record_event
from commissioning.services.programmes import create_programme, update_programme


@pytest.mark.django_db(transaction=True)
def test_a_change_whose_event_fails_is_rolled_back(world, monkeypatch):
    """Really committed transactions on PostgreSQL: no programme without its Event."""

    def broken_event(**kwargs):
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr("commissioning.services.programmes.record_event", broken_event)
    with pytest.raises(RuntimeError):
        create_programme(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            name="Never committed",
            language="sv",
        )
    assert not Programme.objects.filter(name="Never committed").exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_has_its_event_committed(world):
    programme = create_programme(
        actor=world.people["officer_a"], acting_for=world.purchaser_a, name="Kept", language="en"
    )
    assert Event.objects.filter(subject_id=str(programme.pk), verb="programme.created").count() == 1


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction(world):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=None, acting_for=None, verb="x", subject=world.programme_a)
    assert not Event.objects.filter(verb="x").exists()


def _make_events(world):
    update_programme(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        programme=world.programme_a,
        phase="early_dialogue",
    )
    update_programme(
        actor=world.people["manager_b"],
        acting_for=world.purchaser_b,
        programme=world.programme_b,
        phase="early_dialogue",
    )


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("manager_a", {"Programme A"}),
        ("officer_a", {"Programme A"}),
        ("manager_b", {"Programme B"}),
        ("provider_in_a", set()),
        ("politician_a", set()),
    ],
)
def test_events_are_read_by_the_purchaser_staff_only(client_for, world, actor, expected):
    _make_events(world)
    response = client_for(actor).get("/api/v1/events/")
    assert response.status_code == 200
    assert {e["subject_repr"] for e in response.json()["results"]} == expected


def test_events_filter_by_subject(client_for, world):
    _make_events(world)
    other = create_programme(
        actor=world.people["officer_a"], acting_for=world.purchaser_a, name="Other", language="en"
    )
    response = client_for("manager_a").get(
        "/api/v1/events/",
        {"subject_type": "commissioning.programme", "subject_id": world.programme_a.pk},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(e["verb"], e["subject_id"]) for e in results] == [
        ("programme.updated", str(world.programme_a.pk))
    ]
    assert results[0]["acting_for"]["id"] == world.purchaser_a.id
    assert results[0]["actor"] == "officer_a"
    assert str(other.pk) not in {e["subject_id"] for e in results}


def test_an_unknown_subject_type_is_a_4xx_with_the_error_shape(client_for, world):
    response = client_for("manager_a").get("/api/v1/events/", {"subject_type": "nothing.here"})
    assert response.status_code == 400
    assert "subject_type" in response.json()["error"]["fields"]


def test_events_cannot_be_written_through_the_api(client_for, world):
    response = client_for("manager_a").post("/api/v1/events/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
