"""One-request logging: an officer logs a held meeting (attendance, agenda with actual
minutes, decisions, actions, minutes) in one request, saved whole or not at all."""

import datetime

from django.utils import timezone

from commissioning.models import Event
from dialogue.models import (
    ActionItem,
    AgendaItem,
    AttendanceRevision,
    Decision,
    Meeting,
    MinutesRevision,
)
from tests.dialogue.factories import AgendaItemFactory, ArenaFactory
from tests.dialogue.meeting_factories import meeting_in_a


def header(world):
    return {"HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}


def started(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(hours=3))
    planned = AgendaItemFactory(
        meeting=meeting, position=1, kind="information", planned_minutes=30, title="News"
    )
    return meeting, planned


def log_body(world, planned):
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    return {
        "attendance": [
            {"organisation": world.provider_in_a.id, "status": "present"},
            {"organisation": world.network.id, "status": "excused"},
            {
                "organisation": world.purchaser_a.id,
                "person": world.people["officer_a"].id,
                "status": "present",
            },
        ],
        "agenda": [
            {"id": planned.id, "actual_minutes": 45},
            {
                "title": "Discharge notices",
                "kind": "dialogue",
                "planned_minutes": 30,
                "actual_minutes": 40,
                "presenter": world.provider_in_a.id,
                "decisions": ["Notices before noon from March"],
            },
        ],
        "actions": [
            {
                "title": "Draft the new routine",
                "owner_organisation": world.purchaser_a.id,
                "owner_person": world.people["officer_a"].id,
                "due_date": due,
                "agenda_index": 1,
            },
            {
                "title": "Report figures",
                "owner_organisation": world.provider_in_a.id,
                "due_date": due,
            },
            {
                "title": "Invite the hospital",
                "owner_organisation": world.network.id,
                "due_date": due,
            },
        ],
        "minutes": "## Minutes\n\nWe agreed on **earlier** notices.",
    }


def assert_nothing_saved(meeting, planned):
    meeting.refresh_from_db()
    planned.refresh_from_db()
    assert meeting.status == "planned"
    assert meeting.sequence == 0
    assert planned.actual_minutes is None
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert not Decision.objects.exists()
    assert not ActionItem.objects.exists()
    assert not AttendanceRevision.objects.exists()
    assert not MinutesRevision.objects.exists()
    assert not Event.objects.filter(verb__startswith="meeting.").exists()


def test_logging_a_planned_meeting_saves_everything_with_one_event(client_for, world):
    meeting, planned = started(world)
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/",
        log_body(world, planned),
        format="json",
        **header(world),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "held"
    assert body["sequence"] == 1
    assert [(i["title"], i["actual_minutes"]) for i in body["agenda_items"]] == [
        ("News", 45),
        ("Discharge notices", 40),
    ]
    assert body["agenda_items"][1]["decisions"][0]["text"] == "Notices before noon from March"
    assert body["dialogue_share"] == 40 / 85
    assert len(body["action_items"]) == 3
    first = ActionItem.objects.get(title="Draft the new routine")
    assert first.agenda_item.title == "Discharge notices"
    assert len(body["attendance"]) == 1
    assert len(body["attendance"][0]["entries"]) == 3
    assert "<strong>earlier</strong>" in body["minutes"][0]["html"]
    events = Event.objects.filter(subject_id=str(meeting.id), verb__startswith="meeting.")
    assert [e.verb for e in events] == ["meeting.logged"]
    assert events[0].before["status"] == "planned"
    assert events[0].after["actions"] == 3
    assert events[0].purchaser == world.purchaser_a


def test_one_bad_action_item_saves_nothing_and_names_its_path(client_for, world):
    meeting, planned = started(world)
    body = log_body(world, planned)
    body["actions"][2]["due_date"] = "next Tuesday"
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "actions[2].due_date" in error["message"]
    assert error["fields"]["actions"][2]["due_date"]
    assert error["fields"]["actions"][0] == {}
    assert_nothing_saved(meeting, planned)


def test_an_action_failing_a_domain_rule_saves_nothing_and_names_its_path(client_for, world):
    """The shape is valid; the owner person is not of the owner organisation, which only the
    service can tell, after the agenda and attendance were already written."""
    meeting, planned = started(world)
    body = log_body(world, planned)
    body["actions"][1]["owner_person"] = world.people["officer_a"].id
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith("actions[1].owner_person:")
    assert error["fields"]["actions"][1]["owner_person"]
    assert_nothing_saved(meeting, planned)


def test_an_action_owned_by_an_organisation_not_invited_is_refused(client_for, world):
    meeting, planned = started(world)
    body = log_body(world, planned)
    body["actions"][0]["owner_organisation"] = world.provider_outside.id
    body["actions"][0].pop("owner_person")
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["actions"][0]["owner_organisation"]
    assert_nothing_saved(meeting, planned)


def test_a_zero_length_item_in_a_log_is_refused_with_its_path(client_for, world):
    meeting, planned = started(world)
    body = log_body(world, planned)
    body["agenda"][1]["actual_minutes"] = 0
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    # Refused by the body's own check (the schema's minimum), before the service.
    error = response.json()["error"]
    assert error["message"].endswith(
        "First: agenda[1].actual_minutes: Actual minutes must be more than 0: zero-length "
        "items are refused."
    )
    assert error["fields"]["agenda"][1] == {
        "actual_minutes": ["Actual minutes must be more than 0: zero-length items are refused."]
    }
    assert_nothing_saved(meeting, planned)


def test_an_attendance_entry_of_an_uninvited_organisation_is_refused_with_its_path(
    client_for, world
):
    meeting, planned = started(world)
    body = log_body(world, planned)
    body["attendance"][1]["organisation"] = world.provider_outside.id
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("attendance[1].organisation:")
    assert_nothing_saved(meeting, planned)


def test_a_new_agenda_entry_without_its_kind_is_refused(client_for, world):
    meeting, planned = started(world)
    body = log_body(world, planned)
    del body["agenda"][1]["kind"]
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["agenda"][1]["kind"]
    assert_nothing_saved(meeting, planned)


def test_a_meeting_still_to_start_cannot_be_logged(client_for, world):
    meeting = meeting_in_a(world)  # next week
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/",
        {"minutes": "Too early"},
        format="json",
        **header(world),
    )
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert not MinutesRevision.objects.exists()


def test_a_held_meeting_cannot_be_logged_again(client_for, world):
    meeting = meeting_in_a(world, held=True)
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/log/", {"minutes": "Again"}, format="json", **header(world)
    )
    assert response.status_code == 409
    assert response.json()["error"]["details"]["allowed"] == ["minutes_approved"]
    assert not MinutesRevision.objects.exists()


def test_a_held_meeting_is_created_and_logged_in_one_request(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    start = timezone.now() - datetime.timedelta(days=1)
    body = {
        "meeting": {
            "title": "Collaboration meeting",
            "arena": arena.id,
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "place": "Sjukhuset",
            "invitees": [{"organisation": world.provider_in_a.id}],
        },
        "attendance": [{"organisation": world.provider_in_a.id, "status": "present"}],
        "agenda": [{"title": "Open floor", "kind": "dialogue", "planned_minutes": 60}],
        "minutes": "Short and useful.",
    }
    response = client_for("officer_a").post(
        "/api/v1/meetings/log/", body, format="json", **header(world)
    )
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get()
    assert meeting.status == "held"
    assert meeting.purchaser == world.purchaser_a
    assert response.json()["dialogue_share"] == 1.0
    assert (
        Event.objects.filter(verb="meeting.created_and_logged", subject_id=str(meeting.id)).count()
        == 1
    )


def test_a_bad_meeting_in_a_create_and_log_request_creates_nothing(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    start = timezone.now() - datetime.timedelta(days=1)
    body = {
        "meeting": {
            "title": "Collaboration meeting",
            "arena": arena.id,
            "starts_at": start.isoformat(),
            "ends_at": (start - datetime.timedelta(hours=2)).isoformat(),
            "place": "Sjukhuset",
        },
        "agenda": [{"title": "Open floor", "kind": "dialogue", "planned_minutes": 60}],
    }
    response = client_for("officer_a").post(
        "/api/v1/meetings/log/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("meeting.ends_at:")
    assert response.json()["error"]["fields"]["meeting"]["ends_at"]
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()


def test_a_provider_cannot_log_a_meeting(client_for, world):
    meeting, planned = started(world)
    response = client_for("provider_in_a").post(
        f"/api/v1/meetings/{meeting.id}/log/",
        log_body(world, planned),
        format="json",
        HTTP_X_ACTING_FOR=str(world.provider_in_a.id),
    )
    assert response.status_code == 403
    assert_nothing_saved(meeting, planned)
