"""Arenas: purchaser staff set up the standing forums of their purchaser; its politicians and
the member organisations read them."""

import pytest

from commissioning.models import Event
from dialogue.models import Arena
from tests.dialogue.factories import ArenaFactory

NEW_ARENA = {"name": "Provider council", "kind": "provider_council", "cadence_weeks": 8}


def test_an_officer_sets_up_an_arena_with_members_and_one_event(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/arenas/",
        {**NEW_ARENA, "members": [world.provider_in_a.id, world.network.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["purchaser"]["id"] == world.purchaser_a.id
    assert body["cadence_weeks"] == 8
    assert {m["name"] for m in body["members"]} == {"Provider in A", "Network in A"}
    event = Event.objects.get(verb="arena.created")
    assert event.purchaser == world.purchaser_a
    assert event.after["members"] == sorted([world.provider_in_a.id, world.network.id])


@pytest.mark.parametrize(
    ("actor", "acting_for", "code"),
    [
        ("politician_a", "political_body_a", "read_only"),
        ("provider_in_a", "provider_in_a", "not_purchaser_staff"),
    ],
)
def test_only_purchaser_staff_set_up_arenas(client_for, world, actor, acting_for, code):
    response = client_for(actor).post(
        "/api/v1/arenas/",
        NEW_ARENA,
        format="json",
        HTTP_X_ACTING_FOR=str(getattr(world, acting_for).id),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == code
    assert not Arena.objects.exists()


def test_a_purchaser_is_not_a_member_of_its_own_arena(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/arenas/",
        {**NEW_ARENA, "members": [world.purchaser_a.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "members" in response.json()["error"]["fields"]
    assert not Arena.objects.exists()


def test_an_unknown_member_is_refused(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/arenas/",
        {**NEW_ARENA, "members": [999999]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "999999" in response.json()["error"]["message"]


def test_a_zero_week_cadence_is_refused(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/arenas/",
        {**NEW_ARENA, "cadence_weeks": 0},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "cadence_weeks" in response.json()["error"]["fields"]


def test_changing_cadence_and_members_is_recorded_before_and_after(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    response = client_for("manager_a").patch(
        f"/api/v1/arenas/{arena.id}/",
        {"cadence_weeks": 6, "members": [world.network.id]},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["members"]] == [world.network.id]
    event = Event.objects.get(verb="arena.updated")
    assert (event.before["cadence_weeks"], event.after["cadence_weeks"]) == (8, 6)
    assert event.before["members"] == [world.provider_in_a.id]


def test_who_reads_which_arenas(client_for, world):
    council = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    political = ArenaFactory(purchaser=world.purchaser_a, kind="political_dialogue")
    arena_b = ArenaFactory(purchaser=world.purchaser_b, members=[world.provider_outside])

    def ids(actor):
        return {a["id"] for a in client_for(actor).get("/api/v1/arenas/").json()["results"]}

    assert ids("politician_a") == {council.id, political.id}
    assert ids("officer_a") == {council.id, political.id}
    assert ids("provider_in_a") == {council.id}
    assert ids("manager_b") == {arena_b.id}
    assert ids("provider_outside") == {arena_b.id}
    assert ids("network_member") == set()
