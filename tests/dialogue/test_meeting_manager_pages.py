"""The pages of a meeting's life for commissioning staff: plan (invitations, typed agenda),
change, cancel with a reason, hold, approve the minutes, correct attendance and minutes with a
reason, and the actions: done, dropped, "my open actions" and "actions I assigned". Each
refusal comes back with its status, the error summary and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from dialogue.models import ActionItem, AgendaItem, Invitation, Meeting, MinutesRevision
from dialogue.services.log import log_meeting
from tests.dialogue.factories import ArenaFactory
from tests.dialogue.meeting_factories import (
    ActionItemFactory,
    AttendanceEntryFactory,
    AttendanceRevisionFactory,
    MinutesRevisionFactory,
    meeting_in_a,
)
from tests.dialogue.test_meeting_pages import rows
from tests.pages import signed_in, text

PLAN_URL = "/meetings/plan/"
SUMMARY = "Nothing was saved yet: please fix this"


def plan_data(world, arena, *, agenda=None, **fields) -> dict:
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "title": "Provider council, spring",
        "arena": str(arena.id),
        "programme": "",
        "date": next_week.isoformat(),
        "starts": "09:00",
        "ends": "11:00",
        "time_zone": "Europe/Stockholm",
        "place": "Region house",
        "video_link": "",
        "organisations": [str(world.provider_in_a.id)],
        "people": [f"{world.purchaser_a.id}-{world.people['manager_a'].id}"],
        **fields,
    }
    if agenda is None:
        agenda = [{"title": "Discharge notices", "kind": "dialogue", "planned_minutes": "45"}]
    data.update(rows("agenda", agenda))
    return data


@pytest.fixture
def arena(world):
    return ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])


def test_an_officer_plans_a_future_meeting_with_invitations_and_agenda(world, arena):
    client = signed_in(world, "officer_a")
    assert client.get(PLAN_URL).status_code == 200
    response = client.post(PLAN_URL, plan_data(world, arena))
    meeting = Meeting.objects.get(title="Provider council, spring")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.status == "planned"
    assert meeting.starts_at > timezone.now()
    assert set(
        Invitation.objects.filter(meeting=meeting).values_list("organisation", "person")
    ) == {
        (world.provider_in_a.id, None),
        (world.purchaser_a.id, world.people["manager_a"].id),
    }
    assert [(i.title, i.kind, i.planned_minutes) for i in meeting.agenda_items.all()] == [
        ("Discharge notices", "dialogue", 45)
    ]
    # One Event, the API's, so that the invitations are sent alike.
    assert list(
        Event.objects.filter(verb__startswith="meeting.").values_list("verb", flat=True)
    ) == ["meeting.created"]


def test_a_refused_agenda_row_saves_nothing_and_keeps_what_was_typed(world, arena):
    client = signed_in(world, "officer_a")
    agenda = [
        {"title": "Welcome", "kind": "information", "planned_minutes": "10"},
        {"title": "Zero", "kind": "dialogue", "planned_minutes": "0"},
    ]
    response = client.post(PLAN_URL, plan_data(world, arena, agenda=agenda))
    assert response.status_code == 400
    page = text(response)
    assert SUMMARY in page
    assert "Agenda item 2, Planned minutes: Must be more than 0." in page
    assert 'value="Welcome"' in page
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()


def test_a_plan_without_place_names_the_field_as_the_page_labels_it(world, arena):
    response = signed_in(world, "officer_a").post(PLAN_URL, plan_data(world, arena, place=""))
    assert response.status_code == 400
    assert "Place: Give a place or a video link." in text(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("actor", ["provider_in_a", "politician_a"])
def test_only_purchaser_staff_plan(world, arena, actor):
    client = signed_in(world, actor)
    assert client.get(PLAN_URL).status_code == 403
    assert client.post(PLAN_URL, plan_data(world, arena)).status_code == 403
    assert not Meeting.objects.exists()


def test_changing_a_planned_meeting_moves_it_and_its_invitations(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() + datetime.timedelta(days=3))
    client = signed_in(world, "officer_a")
    form = client.get(f"/meetings/{meeting.pk}/edit/")
    assert form.status_code == 200
    assert f'value="{meeting.title}"' in form.content.decode()
    data = plan_data(world, meeting.arena, title="Moved council", agenda=[])
    data["organisations"] = [str(world.network.id)]
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Moved council"
    assert meeting.sequence == 1
    assert {i.organisation_id for i in meeting.invitations.all()} == {
        world.network.id,
        world.purchaser_a.id,
    }
    assert Event.objects.filter(verb="meeting.updated").count() == 1


def test_a_held_meeting_cannot_be_changed_409_and_nothing_saved(world):
    meeting = meeting_in_a(world, held=True)
    data = plan_data(world, meeting.arena, title="Rewritten")
    response = signed_in(world, "officer_a").post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 409
    assert "Only a planned meeting can be changed" in text(response)
    meeting.refresh_from_db()
    assert meeting.title != "Rewritten"


def test_cancel_needs_a_reason_then_cancels(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() + datetime.timedelta(days=3))
    client = signed_in(world, "officer_a")
    url = f"/meetings/{meeting.pk}/cancel/"
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Reason: This field is required." in text(refused)
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert client.post(url, {"reason": "Snow storm"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == ("cancelled", "Snow storm")
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 409
    assert SUMMARY in text(again)


def test_a_meeting_of_another_purchaser_is_not_found_and_a_provider_is_refused(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() + datetime.timedelta(days=3))
    for page in ("edit", "cancel", "hold", "attendance", "minutes"):
        url = f"/meetings/{meeting.pk}/{page}/"
        assert signed_in(world, "manager_b").get(url).status_code == 404
        assert signed_in(world, "provider_in_a").get(url).status_code == 403


def hold_data(world, *, minutes="We agreed.", attendance=None) -> dict:
    if attendance is None:
        attendance = [
            {"organisation": str(world.purchaser_a.id), "person": "", "status": "present"},
            {"organisation": str(world.provider_in_a.id), "person": "", "status": "absent"},
        ]
    return {"minutes": minutes, **rows("attendance", attendance)}


def test_holding_a_started_meeting_records_attendance_and_minutes(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(hours=2))
    client = signed_in(world, "officer_a")
    form = client.get(f"/meetings/{meeting.pk}/hold/")
    # The invited start the attendance, all present.
    assert form.status_code == 200
    assert form.content.decode().count('value="present" selected') >= 3
    assert client.post(f"/meetings/{meeting.pk}/hold/", hold_data(world)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.minutes.get().text == "We agreed."
    assert {(e.organisation_id, e.status) for e in meeting.attendance.get().entries.all()} == {
        (world.purchaser_a.id, "present"),
        (world.provider_in_a.id, "absent"),
    }


def test_holding_a_meeting_not_yet_started_is_refused_409_with_nothing_saved(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() + datetime.timedelta(days=1))
    response = signed_in(world, "officer_a").post(f"/meetings/{meeting.pk}/hold/", hold_data(world))
    assert response.status_code == 409
    assert SUMMARY in text(response)
    assert "can be marked held once it has started" in text(response)
    assert "We agreed." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert not meeting.minutes.exists()


def test_an_uninvited_attendee_is_refused_on_its_row(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(hours=2))
    attendance = [
        {"organisation": str(world.provider_outside.id), "person": "", "status": "present"}
    ]
    response = signed_in(world, "officer_a").post(
        f"/meetings/{meeting.pk}/hold/", hold_data(world, attendance=attendance)
    )
    # provider_outside is not among the choices the officer is offered.
    assert response.status_code == 400
    assert "Attendee 1, Organisation:" in text(response)
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def held_with_minutes(world):
    meeting = meeting_in_a(world, held=True)
    MinutesRevisionFactory(meeting=meeting)
    revision = AttendanceRevisionFactory(meeting=meeting, number=1)
    AttendanceEntryFactory(revision=revision)
    return meeting


def test_only_a_manager_is_offered_and_may_approve_the_minutes(world):
    meeting = held_with_minutes(world)
    url = f"/meetings/{meeting.pk}/"
    assert "Approve the minutes" not in text(signed_in(world, "officer_a").get(url))
    refused = signed_in(world, "officer_a").post(f"{url}approve-minutes/")
    assert refused.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "held"
    manager = signed_in(world, "manager_a")
    assert "Approve the minutes" in text(manager.get(url))
    assert manager.post(f"{url}approve-minutes/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "minutes_approved"
    assert "Approve the minutes" not in text(manager.get(url))


def test_approving_without_minutes_is_a_409(world):
    meeting = meeting_in_a(world, held=True)
    response = signed_in(world, "manager_a").post(f"/meetings/{meeting.pk}/approve-minutes/")
    assert response.status_code == 409
    assert "no minutes to approve" in text(response)


def test_the_buttons_follow_the_status_and_the_policy(world):
    planned = meeting_in_a(world, starts_at=timezone.now() + datetime.timedelta(days=1))
    page = text(signed_in(world, "officer_a").get(f"/meetings/{planned.pk}/"))
    assert "Change the meeting" in page
    assert "Cancel the meeting" in page
    assert "Hold the meeting" not in page  # not started yet
    provider_page = text(signed_in(world, "provider_in_a").get(f"/meetings/{planned.pk}/"))
    assert "Change the meeting" not in provider_page
    assert "Cancel the meeting" not in provider_page
    started = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    assert "Hold the meeting" in text(signed_in(world, "officer_a").get(f"/meetings/{started.pk}/"))


def test_correcting_approved_attendance_needs_a_reason_and_shows_the_revisions(world):
    meeting = held_with_minutes(world)
    meeting.status = "minutes_approved"
    meeting.save()
    client = signed_in(world, "officer_a")
    url = f"/meetings/{meeting.pk}/attendance/"
    assert "Correct the attendance" in text(client.get(url))
    entries = [{"organisation": str(world.provider_in_a.id), "person": "", "status": "present"}]
    refused = client.post(url, {"reason": "", **rows("attendance", entries)})
    assert refused.status_code == 409
    assert "Reason for the correction: Required for a correction." in text(refused)
    assert meeting.attendance.count() == 1
    saved = client.post(url, {"reason": "Provider came late", **rows("attendance", entries)})
    assert saved.status_code == 302
    assert meeting.attendance.count() == 2
    page = text(client.get(f"/meetings/{meeting.pk}/"))
    assert "Corrected: Provider came late" in page
    assert "Earlier versions of the attendance (2)" in page


def test_correcting_approved_minutes_needs_a_reason(world):
    meeting = held_with_minutes(world)
    meeting.status = "minutes_approved"
    meeting.save()
    client = signed_in(world, "manager_a")
    url = f"/meetings/{meeting.pk}/minutes/"
    refused = client.post(url, {"text": "Better minutes", "reason": ""})
    assert refused.status_code == 409
    assert "Better minutes" in refused.content.decode()
    assert MinutesRevision.objects.filter(meeting=meeting).count() == 1
    assert client.post(url, {"text": "Better minutes", "reason": "Typo"}).status_code == 302
    assert meeting.minutes.order_by("-number").first().reason == "Typo"


def test_an_action_is_done_or_dropped_with_a_reason(world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True))
    dropped = ActionItemFactory(meeting=action.meeting)
    client = signed_in(world, "officer_a")
    assert client.post(f"/actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert client.post(f"/actions/{action.pk}/done/").status_code == 409
    refused = client.post(f"/actions/{dropped.pk}/drop/", {"reason": ""})
    assert refused.status_code == 400
    assert SUMMARY in text(refused)
    assert client.post(f"/actions/{dropped.pk}/drop/", {"reason": "Moot"}).status_code == 302
    dropped.refresh_from_db()
    assert (dropped.status, dropped.dropped_reason) == ("dropped", "Moot")


def test_actions_of_another_purchaser_are_not_found(world):
    action = ActionItemFactory(meeting=meeting_in_a(world, held=True))
    assert signed_in(world, "manager_b").post(f"/actions/{action.pk}/done/").status_code == 404
    assert signed_in(world, "provider_in_a").post(f"/actions/{action.pk}/done/").status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_my_open_actions_and_the_actions_i_assigned(world, django_assert_max_num_queries):
    meeting = meeting_in_a(world, held=True)
    officer = world.people["officer_a"]
    today = timezone.localdate()
    for n in range(30):
        ActionItemFactory(
            meeting=meeting,
            title=f"Mine {n:02}",
            owner_person=officer,
            assigned_by=world.people["manager_a"],
            due_date=today + datetime.timedelta(days=n - 5),
        )
    ActionItemFactory(meeting=meeting, title="Given away", assigned_by=officer)
    ActionItemFactory(meeting=meeting, title="Closed", owner_person=officer, status="done")
    client = signed_in(world, "officer_a")
    with django_assert_max_num_queries(20):
        first = client.get("/actions/")
    page = text(first)
    assert first.status_code == 200
    assert "Mine 00" in page
    assert "Mine 25" not in page
    assert "Given away" not in page
    assert "Closed" not in page
    with django_assert_max_num_queries(20):
        second = client.get("/actions/?page=2")
    assert "Mine 25" in text(second)
    overdue = text(client.get("/actions/?due=overdue"))
    assert "Mine 04" in overdue
    assert "Mine 05" not in overdue
    assert "Mine 29" in text(client.get("/actions/?sort=-due_date&per_page=10"))
    assert client.get("/actions/?due=someday").status_code == 400
    assert client.get("/actions/?page=9").status_code == 404
    assigned = text(client.get("/actions/assigned/"))
    assert "Given away" in assigned
    assert "Mine 00" not in assigned
    assert "Mine 00" in text(signed_in(world, "manager_a").get("/actions/assigned/?status=open"))
    assert signed_in(world, "provider_in_a").get("/actions/assigned/").status_code == 403


def test_an_action_added_through_the_log_is_assigned_by_who_logged_it(world):
    meeting = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(hours=1))
    log_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        meeting=meeting,
        actions=[
            {
                "title": "Send the papers",
                "owner_organisation": world.purchaser_a.id,
                "due_date": timezone.localdate(),
            }
        ],
    )
    assert ActionItem.objects.get(title="Send the papers").assigned_by == world.people["officer_a"]
