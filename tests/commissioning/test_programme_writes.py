"""Who may change programmes, and that every write leaves exactly one Event."""

import pytest

from commissioning.models import Event, Programme

NEW_PROGRAMME = {"name": "Vårdval rehab", "language": "sv", "framework": "se_care_choice"}


def events_of(programme_id):
    return Event.objects.filter(subject_type__model="programme", subject_id=str(programme_id))


def test_officer_creates_a_programme_with_participants_and_one_event(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/programmes/",
        {**NEW_PROGRAMME, "participants": [world.provider_in_a.id, world.network.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["purchaser"]["id"] == world.purchaser_a.id
    assert {p["name"] for p in body["participants"]} == {"Provider in A", "Network in A"}
    events = list(events_of(body["id"]))
    assert len(events) == 1
    event = events[0]
    assert event.verb == "programme.created"
    assert event.actor == world.people["officer_a"]
    assert event.acting_for == world.purchaser_a
    assert event.purchaser == world.purchaser_a
    assert event.before is None
    assert event.after["name"] == "Vårdval rehab"
    assert event.after["participants"] == sorted([world.provider_in_a.id, world.network.id])
    assert event.relayed_at is None


def test_acting_for_can_be_given_as_a_field(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/programmes/", {**NEW_PROGRAMME, "acting_for": world.purchaser_a.id}, format="json"
    )
    assert response.status_code == 201


def test_a_write_without_acting_for_is_refused(client_for):
    response = client_for("officer_a").post("/api/v1/programmes/", NEW_PROGRAMME, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "acting_for_missing"
    assert "X-Acting-For" in response.json()["error"]["message"]
    assert not Programme.objects.filter(name=NEW_PROGRAMME["name"]).exists()


def test_acting_for_an_organisation_you_do_not_belong_to_is_refused(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/programmes/",
        NEW_PROGRAMME,
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_b.id),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_member"
    assert not Programme.objects.filter(name=NEW_PROGRAMME["name"]).exists()
    assert not Event.objects.filter(verb="programme.created").exists()


def test_acting_for_that_is_not_a_number_is_refused(client_for):
    response = client_for("officer_a").post(
        "/api/v1/programmes/", NEW_PROGRAMME, format="json", HTTP_X_ACTING_FOR="region-a"
    )
    assert response.status_code == 400
    assert "acting_for" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("actor", "acting_for", "code"),
    [
        ("politician_a", "political_body_a", "read_only"),
        ("provider_in_a", "provider_in_a", "not_purchaser_staff"),
        ("network_rep", "network", "not_purchaser_staff"),
    ],
)
def test_only_purchaser_staff_create_programmes(client_for, world, actor, acting_for, code):
    response = client_for(actor).post(
        "/api/v1/programmes/",
        NEW_PROGRAMME,
        format="json",
        HTTP_X_ACTING_FOR=str(getattr(world, acting_for).id),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == code
    assert not Programme.objects.filter(name=NEW_PROGRAMME["name"]).exists()


@pytest.mark.parametrize(
    ("actor", "acting_for", "status"),
    [
        ("officer_a", "purchaser_a", 200),
        ("manager_a", "purchaser_a", 200),
        ("politician_a", "political_body_a", 403),  # sees it, may not change it
        ("provider_in_a", "provider_in_a", 403),
        ("network_member", "network_member", 403),
        ("manager_b", "purchaser_b", 404),  # may not even see it
        # Refused for the role before the programme is looked up, as for any id.
        ("provider_outside", "provider_outside", 403),
    ],
)
def test_who_may_change_a_programme(client_for, world, actor, acting_for, status):
    programme = world.programme_a
    response = client_for(actor).patch(
        f"/api/v1/programmes/{programme.pk}/",
        {"phase": "consultation"},
        format="json",
        HTTP_X_ACTING_FOR=str(getattr(world, acting_for).id),
    )
    assert response.status_code == status, response.json()
    programme.refresh_from_db()
    changed = events_of(programme.pk).filter(verb="programme.updated")
    if status == 200:
        assert programme.phase == "consultation"
        assert changed.count() == 1
        assert changed.get().before["phase"] == "planning"
        assert changed.get().after["phase"] == "consultation"
    else:
        assert programme.phase == "planning"
        assert not changed.exists()


def test_changing_participants_is_recorded_before_and_after(client_for, world):
    response = client_for("officer_a").patch(
        f"/api/v1/programmes/{world.programme_a.pk}/",
        {"participants": [world.provider_in_a.id, world.provider_outside.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["participants"]} == {
        "Provider in A",
        "Provider outside A",
    }
    event = events_of(world.programme_a.pk).get(verb="programme.updated")
    assert event.before["participants"] == sorted([world.provider_in_a.id, world.network.id])
    assert event.after["participants"] == sorted(
        [world.provider_in_a.id, world.provider_outside.id]
    )


def test_a_failing_write_changes_nothing_and_leaves_no_event(client_for, world):
    """The name is valid but a participant is a purchaser: nothing of it may stay."""
    response = client_for("officer_a").put(
        f"/api/v1/programmes/{world.programme_a.pk}/",
        {"name": "Renamed", "language": "en", "participants": [world.purchaser_b.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "participants" in response.json()["error"]["fields"]
    world.programme_a.refresh_from_db()
    assert world.programme_a.name == "Programme A"
    assert world.programme_a.language == "sv"
    assert not events_of(world.programme_a.pk).exists()


def test_an_unknown_time_zone_is_refused(client_for, world):
    response = client_for("officer_a").patch(
        f"/api/v1/programmes/{world.programme_a.pk}/",
        {"time_zone": "Europe/Atlantis"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()["error"]["fields"]


def test_only_a_manager_deletes_a_programme(client_for, world):
    path = f"/api/v1/programmes/{world.programme_a.pk}/"
    header = {"HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}
    refused = client_for("officer_a").delete(path, **header)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_manager"
    assert Programme.objects.filter(pk=world.programme_a.pk).exists()

    deleted = client_for("manager_a").delete(path, **header)
    assert deleted.status_code == 204
    assert not Programme.objects.filter(pk=world.programme_a.pk).exists()
    event = events_of(world.programme_a.pk).get()
    assert event.verb == "programme.deleted"
    assert event.before["name"] == "Programme A"
