"""Action items: owned by the purchaser or an invited organisation (and optionally a person
of it), open -> done, or dropped with a reason; any other move is a 409 listing the allowed."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from dialogue.models import ActionItem
from tests.dialogue.meeting_factories import ActionItemFactory, meeting_in_a


def header(world):
    return {"HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}


def due():
    return (timezone.localdate() + datetime.timedelta(days=14)).isoformat()


def test_an_officer_gives_an_invited_provider_an_action(client_for, world):
    meeting = meeting_in_a(world, held=True)
    response = client_for("officer_a").post(
        "/api/v1/action-items/",
        {
            "meeting": meeting.id,
            "title": "Send the waiting-time figures",
            "owner_organisation": world.provider_in_a.id,
            "owner_person": world.people["provider_in_a"].id,
            "due_date": due(),
        },
        format="json",
        **header(world),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open"
    assert body["owner_organisation"]["id"] == world.provider_in_a.id
    assert body["owner_person"]["username"] == "provider_in_a"
    event = Event.objects.get(verb="action_item.created")
    assert event.purchaser == world.purchaser_a


@pytest.mark.parametrize(
    ("owner", "person", "field"),
    [
        ("provider_outside", None, "owner_organisation"),
        ("provider_in_a", "network_rep", "owner_person"),
    ],
)
def test_an_action_owner_must_be_invited_and_a_person_of_the_owner(
    client_for, world, owner, person, field
):
    meeting = meeting_in_a(world, held=True)
    body = {
        "meeting": meeting.id,
        "title": "Something",
        "owner_organisation": getattr(world, owner).id,
        "due_date": due(),
    }
    if person:
        body["owner_person"] = world.people[person].id
    response = client_for("officer_a").post(
        "/api/v1/action-items/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not ActionItem.objects.exists()


def test_an_action_is_done_once(client_for, world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True))
    client = client_for("officer_a")
    done = client.post(f"/api/v1/action-items/{action.id}/done/", format="json", **header(world))
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    assert done.json()["closed_at"] is not None
    event = Event.objects.get(verb="action_item.done")
    assert (event.before["status"], event.after["status"]) == ("open", "done")

    again = client.post(f"/api/v1/action-items/{action.id}/done/", format="json", **header(world))
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"] == {"status": "done", "requested": "done", "allowed": []}
    assert Event.objects.filter(verb="action_item.done").count() == 1


def test_dropping_an_action_needs_a_reason(client_for, world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True))
    response = client_for("officer_a").post(
        f"/api/v1/action-items/{action.id}/drop/", {"reason": "  "}, format="json", **header(world)
    )
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    action.refresh_from_db()
    assert action.status == "open"


def test_a_dropped_action_keeps_its_reason(client_for, world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True))
    response = client_for("officer_a").post(
        f"/api/v1/action-items/{action.id}/drop/",
        {"reason": "Overtaken by the new agreement"},
        format="json",
        **header(world),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dropped"
    assert response.json()["dropped_reason"] == "Overtaken by the new agreement"


def test_a_done_action_cannot_be_dropped_and_the_answer_says_so(client_for, world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True), status="done")
    response = client_for("officer_a").post(
        f"/api/v1/action-items/{action.id}/drop/",
        {"reason": "Changed our mind"},
        format="json",
        **header(world),
    )
    assert response.status_code == 409
    assert "done" in response.json()["error"]["message"]
    action.refresh_from_db()
    assert (action.status, action.dropped_reason) == ("done", "")


def test_actions_filter_by_status_and_due_date(client_for, world):
    meeting = meeting_in_a(world, held=True)
    today = timezone.localdate()
    overdue = ActionItemFactory(meeting=meeting, due_date=today - datetime.timedelta(days=3))
    ActionItemFactory(meeting=meeting, due_date=today + datetime.timedelta(days=3))
    ActionItemFactory(meeting=meeting, status="done", due_date=today - datetime.timedelta(days=9))
    response = client_for("officer_a").get(
        "/api/v1/action-items/", {"status": "open", "due_before": today.isoformat()}
    )
    assert [a["id"] for a in response.json()["results"]] == [overdue.id]
