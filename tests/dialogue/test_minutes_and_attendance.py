"""Attendance of a held meeting and approved minutes are never overwritten: a correction is
a new revision with a reason and an Event; an attempt to overwrite changes no row."""

from commissioning.models import Event
from dialogue.markdown import render_markdown
from dialogue.models import AgendaItem, AttendanceEntry, AttendanceRevision, MinutesRevision
from tests.dialogue.factories import AgendaItemFactory
from tests.dialogue.meeting_factories import MinutesRevisionFactory, meeting_in_a


def header(world):
    return {"HTTP_X_ACTING_FOR": str(world.purchaser_a.id)}


def attendance(world, network_status="present"):
    return {
        "entries": [
            {"organisation": world.provider_in_a.id, "status": "present"},
            {"organisation": world.network.id, "status": network_status},
        ]
    }


def entries_of(revision):
    return sorted(revision.entries.values_list("organisation_id", "status"))


def test_attendance_of_a_held_meeting_is_recorded_once_with_an_event(client_for, world):
    meeting = meeting_in_a(world, held=True)
    response = client_for("officer_a").put(
        f"/api/v1/meetings/{meeting.id}/attendance/",
        attendance(world),
        format="json",
        **header(world),
    )
    assert response.status_code == 200, response.json()
    revisions = response.json()["attendance"]
    assert [r["number"] for r in revisions] == [1]
    assert {e["status"] for e in revisions[0]["entries"]} == {"present"}
    event = Event.objects.get(verb="meeting.attendance_recorded")
    assert event.purchaser == world.purchaser_a
    assert len(event.after["entries"]) == 2


def test_overwriting_recorded_attendance_without_a_reason_is_refused_and_changes_nothing(
    client_for, world
):
    meeting = meeting_in_a(world, held=True)
    client = client_for("officer_a")
    path = f"/api/v1/meetings/{meeting.id}/attendance/"
    client.put(path, attendance(world), format="json", **header(world))
    first = AttendanceRevision.objects.get(meeting=meeting)
    recorded = entries_of(first)

    refused = client.put(path, attendance(world, "absent"), format="json", **header(world))

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "attendance_recorded"
    assert "reason" in error["fields"]
    assert AttendanceRevision.objects.filter(meeting=meeting).count() == 1
    assert entries_of(first) == recorded
    assert AttendanceEntry.objects.count() == 2
    assert not Event.objects.filter(verb="meeting.attendance_corrected").exists()


def test_a_correction_is_a_new_revision_with_its_reason_and_the_first_stays(client_for, world):
    meeting = meeting_in_a(world, held=True)
    client = client_for("officer_a")
    path = f"/api/v1/meetings/{meeting.id}/attendance/"
    client.put(path, attendance(world), format="json", **header(world))
    response = client.put(
        path,
        {**attendance(world, "excused"), "reason": "The network had sent its apologies"},
        format="json",
        **header(world),
    )
    assert response.status_code == 200
    assert [r["number"] for r in response.json()["attendance"]] == [1, 2]
    first, second = AttendanceRevision.objects.filter(meeting=meeting).order_by("number")
    assert dict(entries_of(first))[world.network.id] == "present"
    assert dict(entries_of(second))[world.network.id] == "excused"
    assert second.reason == "The network had sent its apologies"
    event = Event.objects.get(verb="meeting.attendance_corrected")
    assert event.subject_id == str(second.id)


def test_attendance_of_a_planned_meeting_is_refused(client_for, world):
    meeting = meeting_in_a(world)
    response = client_for("officer_a").put(
        f"/api/v1/meetings/{meeting.id}/attendance/",
        attendance(world),
        format="json",
        **header(world),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "meeting_not_held"
    assert not AttendanceRevision.objects.exists()


def test_attendance_of_an_organisation_not_invited_is_refused_with_its_path(client_for, world):
    meeting = meeting_in_a(world, held=True)
    body = attendance(world)
    body["entries"][1]["organisation"] = world.provider_outside.id
    response = client_for("officer_a").put(
        f"/api/v1/meetings/{meeting.id}/attendance/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("entries[1].organisation:")
    assert not AttendanceRevision.objects.exists()


def test_a_person_attending_must_belong_to_the_organisation(client_for, world):
    meeting = meeting_in_a(world, held=True)
    body = attendance(world)
    body["entries"][0]["person"] = world.people["network_rep"].id
    response = client_for("officer_a").put(
        f"/api/v1/meetings/{meeting.id}/attendance/", body, format="json", **header(world)
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["entries"][0]["person"]


def test_minutes_are_kept_raw_and_shown_sanitised(client_for, world):
    meeting = meeting_in_a(world, held=True)
    text = "## Decisions\n\n<script>alert(1)</script> [link](javascript:alert(1)) *ok*"
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/minutes/", {"text": text}, format="json", **header(world)
    )
    assert response.status_code == 201, response.json()
    minutes = response.json()["minutes"][0]
    assert minutes["text"] == text
    assert MinutesRevision.objects.get().text == text
    assert "<h2>Decisions</h2>" in minutes["html"]
    assert "<em>ok</em>" in minutes["html"]
    assert "<script>" not in minutes["html"]
    assert "href" not in render_markdown("[x](javascript:alert(1))")
    assert "<img" not in render_markdown('<img src=x onerror="alert(1)">')
    assert 'rel="noopener noreferrer nofollow"' in render_markdown("[x](https://example.org)")


def test_minutes_before_approval_are_new_revisions_without_a_reason(client_for, world):
    meeting = meeting_in_a(world, held=True)
    client = client_for("officer_a")
    for text in ("Draft", "Draft, revised"):
        response = client.post(
            f"/api/v1/meetings/{meeting.id}/minutes/",
            {"text": text},
            format="json",
            **header(world),
        )
        assert response.status_code == 201
    assert list(MinutesRevision.objects.order_by("number").values_list("number", "text")) == [
        (1, "Draft"),
        (2, "Draft, revised"),
    ]


def test_only_a_manager_approves_minutes(client_for, world):
    meeting = meeting_in_a(world, held=True)
    MinutesRevisionFactory(meeting=meeting)
    path = f"/api/v1/meetings/{meeting.id}/approve-minutes/"
    refused = client_for("officer_a").post(path, format="json", **header(world))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_manager"
    meeting.refresh_from_db()
    assert meeting.status == "held"

    approved = client_for("manager_a").post(path, format="json", **header(world))
    assert approved.status_code == 200
    assert approved.json()["status"] == "minutes_approved"
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by == world.people["manager_a"]
    assert meeting.minutes_approved_at is not None
    assert Event.objects.filter(verb="meeting.minutes_approved").count() == 1


def test_minutes_cannot_be_approved_before_there_are_any(client_for, world):
    meeting = meeting_in_a(world, held=True)
    response = client_for("manager_a").post(
        f"/api/v1/meetings/{meeting.id}/approve-minutes/", format="json", **header(world)
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_minutes"


def test_minutes_of_a_planned_meeting_cannot_be_approved(client_for, world):
    meeting = meeting_in_a(world)
    response = client_for("manager_a").post(
        f"/api/v1/meetings/{meeting.id}/approve-minutes/", format="json", **header(world)
    )
    assert response.status_code == 409
    assert response.json()["error"]["details"]["allowed"] == ["held", "cancelled"]


def approved_meeting(world):
    meeting = meeting_in_a(world, held=True, status="minutes_approved")
    MinutesRevisionFactory(meeting=meeting, text="Approved text")
    return meeting


def test_overwriting_approved_minutes_without_a_reason_is_refused_and_changes_nothing(
    client_for, world
):
    meeting = approved_meeting(world)
    response = client_for("manager_a").post(
        f"/api/v1/meetings/{meeting.id}/minutes/",
        {"text": "Other text"},
        format="json",
        **header(world),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "minutes_approved"
    assert list(MinutesRevision.objects.values_list("number", "text")) == [(1, "Approved text")]
    assert not Event.objects.exists()


def test_a_correction_of_approved_minutes_is_a_new_revision_with_an_event(client_for, world):
    meeting = approved_meeting(world)
    response = client_for("officer_a").post(
        f"/api/v1/meetings/{meeting.id}/minutes/",
        {"text": "Corrected text", "reason": "The date of the next meeting was wrong"},
        format="json",
        **header(world),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "minutes_approved"
    revisions = list(MinutesRevision.objects.order_by("number").values_list("text", "reason"))
    assert revisions == [
        ("Approved text", ""),
        ("Corrected text", "The date of the next meeting was wrong"),
    ]
    event = Event.objects.get(verb="meeting.minutes_corrected")
    assert event.after["reason"] == "The date of the next meeting was wrong"


def test_the_agenda_of_approved_minutes_stays_as_it_is(client_for, world):
    meeting = approved_meeting(world)
    item = AgendaItemFactory(meeting=meeting, actual_minutes=20)
    response = client_for("officer_a").patch(
        f"/api/v1/agenda-items/{item.id}/", {"actual_minutes": 90}, format="json", **header(world)
    )
    assert response.status_code == 409
    assert AgendaItem.objects.get().actual_minutes == 20
