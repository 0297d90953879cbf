"""Planning and changing meetings: times, places, invitees, status, and the iCalendar
SEQUENCE that grows with every change invitees must see."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from dialogue.models import Invitation, Meeting
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.dialogue.meeting_factories import HeldMeetingFactory


def header(world, name="purchaser_a"):
    return {"HTTP_X_ACTING_FOR": str(getattr(world, name).id)}


def new_meeting(world, **overrides):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    body = {
        "title": "Provider council, spring",
        "arena": arena.id,
        "starts_at": "2027-03-02T09:00:00+01:00",
        "ends_at": "2027-03-02T11:00:00+01:00",
        "time_zone": "Europe/Stockholm",
        "place": "Regionens hus",
        "invitees": [{"organisation": world.provider_in_a.id}],
    }
    body.update(overrides)
    return body


def test_officer_plans_a_meeting_in_an_arena_with_invitees_and_one_event(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/meetings/", new_meeting(world), format="json", **header(world)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned"
    assert body["purchaser"]["id"] == world.purchaser_a.id
    assert body["sequence"] == 0
    assert [i["organisation"]["id"] for i in body["invitations"]] == [world.provider_in_a.id]
    assert body["dialogue_share"] is None
    assert body["information_heavy"] is False
    event = Event.objects.get(verb="meeting.created")
    assert event.purchaser == world.purchaser_a
    assert event.after["invitations"] == [[world.provider_in_a.id, 0]]


@pytest.mark.parametrize(
    ("field", "value"),
    [("starts_at", "2027-03-02T09:00:00"), ("ends_at", "2027-03-02T11:00:00")],
)
def test_a_time_without_its_offset_is_refused_naming_the_field(client_for, world, field, value):
    response = client_for("officer_a").post(
        "/api/v1/meetings/", new_meeting(world, **{field: value}), format="json", **header(world)
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert "offset" in response.json()["error"]["message"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("ends_at", ["2027-03-02T09:00:00+01:00", "2027-03-02T08:00:00+01:00"])
def test_a_meeting_ending_when_or_before_it_starts_is_refused(client_for, world, ends_at):
    response = client_for("officer_a").post(
        "/api/v1/meetings/", new_meeting(world, ends_at=ends_at), format="json", **header(world)
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()["error"]["fields"]
    assert not Meeting.objects.exists()


def test_an_unknown_time_zone_is_refused(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/meetings/",
        new_meeting(world, time_zone="Europe/Atlantis"),
        format="json",
        **header(world),
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()["error"]["fields"]


def test_a_meeting_needs_a_place_or_a_video_link(client_for, world):
    refused = client_for("officer_a").post(
        "/api/v1/meetings/", new_meeting(world, place=""), format="json", **header(world)
    )
    assert refused.status_code == 400
    assert "place" in refused.json()["error"]["fields"]
    online = client_for("officer_a").post(
        "/api/v1/meetings/",
        new_meeting(world, place="", video_link="https://meet.example.org/council"),
        format="json",
        **header(world),
    )
    assert online.status_code == 201


def test_a_meeting_in_another_purchasers_arena_is_refused(client_for, world):
    arena_b = ArenaFactory(purchaser=world.purchaser_b)
    response = client_for("officer_a").post(
        "/api/v1/meetings/", new_meeting(world, arena=arena_b.id), format="json", **header(world)
    )
    assert response.status_code == 400
    assert "arena" in response.json()["error"]["fields"]
    assert not Meeting.objects.exists()


def test_a_meeting_in_a_programme_takes_the_programmes_time_zone(client_for, world):
    world.programme_a.time_zone = "Europe/Oslo"
    world.programme_a.save()
    body = new_meeting(world, arena=None, programme=world.programme_a.id)
    del body["time_zone"]
    response = client_for("officer_a").post(
        "/api/v1/meetings/", body, format="json", **header(world)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["programme"]["id"] == world.programme_a.id
    assert response.json()["time_zone"] == "Europe/Oslo"


def test_a_meeting_in_another_purchasers_programme_is_refused(client_for, world):
    body = new_meeting(world, arena=None, programme=world.programme_b.id)
    response = client_for("officer_a").post(
        "/api/v1/meetings/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert "programme" in response.json()["error"]["fields"]


def test_an_invited_person_must_belong_to_the_invited_organisation(client_for, world):
    body = new_meeting(
        world,
        invitees=[
            {"organisation": world.provider_in_a.id, "person": world.people["provider_in_a"].id},
            {"organisation": world.network.id, "person": world.people["manager_a"].id},
        ],
    )
    response = client_for("officer_a").post(
        "/api/v1/meetings/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["invitees"][1]["person"]
    assert error["message"].startswith("invitees[1].person:")
    assert not Meeting.objects.exists()
    assert not Invitation.objects.exists()


def test_every_change_invitees_must_see_increments_the_sequence(client_for, world):
    client = client_for("officer_a")
    created = client.post("/api/v1/meetings/", new_meeting(world), format="json", **header(world))
    path = f"/api/v1/meetings/{created.json()['id']}/"
    sequences = [created.json()["sequence"]]
    changes = [
        {"starts_at": "2027-03-02T10:00:00+01:00", "ends_at": "2027-03-02T12:00:00+01:00"},
        {"place": "Kommunhuset"},
        {
            "invitees": [
                {"organisation": world.provider_in_a.id},
                {"organisation": world.network.id},
            ]
        },
        {"title": "Provider council, spring (moved)"},
    ]
    for change in changes:
        response = client.patch(path, change, format="json", **header(world))
        assert response.status_code == 200, response.json()
        sequences.append(response.json()["sequence"])
    cancelled = client.post(f"{path}cancel/", {"reason": "Strike"}, format="json", **header(world))
    sequences.append(cancelled.json()["sequence"])
    assert sequences == [0, 1, 2, 3, 4, 5]
    assert Event.objects.filter(verb="meeting.updated").count() == 4


def test_a_refused_change_leaves_the_sequence_alone(client_for, world):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = client_for("officer_a").patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"ends_at": meeting.starts_at.isoformat()},
        format="json",
        **header(world),
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert not Event.objects.filter(verb="meeting.updated").exists()


def test_a_held_meeting_can_no_longer_be_rescheduled(client_for, world):
    meeting = HeldMeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = client_for("officer_a").patch(
        f"/api/v1/meetings/{meeting.pk}/", {"place": "Elsewhere"}, format="json", **header(world)
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "meeting_not_planned"
    meeting.refresh_from_db()
    assert meeting.place == "Regionens hus, sal 3"


def test_cancelling_needs_a_reason(client_for, world):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": ""}, format="json", **header(world)
    )
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_cancelling_a_planned_meeting_keeps_the_reason_and_records_it(client_for, world):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.pk}/cancel/",
        {"reason": "Too few could come"},
        format="json",
        **header(world),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "Too few could come"
    event = Event.objects.get(verb="meeting.cancelled")
    assert event.before["status"] == "planned"
    assert event.after["status"] == "cancelled"
    assert event.purchaser == world.purchaser_a


def test_a_held_meeting_cannot_be_cancelled_and_the_answer_lists_what_is_allowed(client_for, world):
    meeting = HeldMeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "Oops"}, format="json", **header(world)
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"]["allowed"] == ["minutes_approved"]
    assert "minutes approved" in error["message"].lower()
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_a_meeting_is_marked_held_only_once_it_has_started(client_for, world):
    future = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    refused = client_for("officer_a").post(
        f"/api/v1/meetings/{future.pk}/hold/", format="json", **header(world)
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "meeting_not_started"
    past = MeetingFactory(
        arena=future.arena, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    held = client_for("officer_a").post(
        f"/api/v1/meetings/{past.pk}/hold/", format="json", **header(world)
    )
    assert held.status_code == 200
    assert held.json()["status"] == "held"
    assert held.json()["sequence"] == 1


def test_the_list_filters_by_status_arena_and_start(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    other = ArenaFactory(purchaser=world.purchaser_a)
    soon = MeetingFactory(arena=arena, starts_at=timezone.now() + datetime.timedelta(days=2))
    later = MeetingFactory(arena=arena, starts_at=timezone.now() + datetime.timedelta(days=60))
    held = HeldMeetingFactory(arena=other)
    InvitationFactory(meeting=held, organisation=world.provider_in_a)
    client = client_for("manager_a")

    def ids(**params):
        response = client.get("/api/v1/meetings/", params)
        assert response.status_code == 200
        return {m["id"] for m in response.json()["results"]}

    assert ids(arena=arena.id) == {soon.id, later.id}
    assert ids(status="held") == {held.id}
    cutoff = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    assert ids(starts_after=cutoff) == {later.id}
    assert ids(starts_before=cutoff) == {soon.id, held.id}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/99999999999999999999/",
        "/api/v1/arenas/99999999999999999999/",
        "/api/v1/agenda-items/99999999999999999999/",
        "/api/v1/action-items/99999999999999999999/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client_for, world, path):
    assert client_for("manager_a").get(path).status_code == 404


def test_an_id_too_large_in_a_body_is_refused_naming_the_field(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/meetings/",
        new_meeting(world, invitees=[{"organisation": 10**15}]),
        format="json",
        **header(world),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["invitees"][0]["organisation"]


def test_an_admin_change_to_a_meeting_reaches_calendars_and_leaves_an_event(client, world):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    form = {
        "purchaser": world.purchaser_a.id,
        "arena": meeting.arena.id,
        "title": "Renamed by the administrator",
        "starts_at_0": meeting.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": meeting.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": meeting.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": meeting.ends_at.strftime("%H:%M:%S"),
        "time_zone": "Europe/Stockholm",
        "place": meeting.place,
        "status": "planned",
    }
    response = client.post(f"/admin/dialogue/meeting/{meeting.id}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    meeting.refresh_from_db()
    assert meeting.title == "Renamed by the administrator"
    assert meeting.sequence == 1
    event = Event.objects.get(verb="meeting.updated_by_admin")
    assert event.purchaser == world.purchaser_a
