"""Dialogue share: dialogue minutes ÷ all minutes (actual where recorded, else planned); a
meeting under one third is information-heavy (the Swedish finding)."""

import datetime

import pytest

from dialogue.models import AgendaItem, Meeting
from dialogue.selectors import dialogue_share
from tests.dialogue.factories import AgendaItemFactory, ArenaFactory, MeetingFactory
from tests.dialogue.meeting_factories import HeldMeetingFactory

INFORMATION, DIALOGUE, DECISION = "information", "dialogue", "decision"
UTC = datetime.UTC


def test_no_minutes_means_no_share_and_no_flag():
    tally = dialogue_share.tally([])
    assert tally.share is None
    assert tally.information_heavy is False


def test_a_meeting_of_only_decisions_has_share_zero_and_is_flagged():
    tally = dialogue_share.tally([(DECISION, 30, None), (DECISION, 15, None)])
    assert tally.share == 0
    assert tally.information_heavy is True


def test_exactly_one_third_dialogue_is_not_flagged():
    tally = dialogue_share.tally([(DIALOGUE, 20, None), (INFORMATION, 40, None)])
    assert tally.share == pytest.approx(1 / 3)
    assert tally.information_heavy is False


def test_just_under_one_third_is_flagged():
    tally = dialogue_share.tally([(DIALOGUE, 33, None), (INFORMATION, 67, None)])
    assert tally.information_heavy is True


def test_actual_minutes_count_where_recorded_else_planned():
    # Planned: 30 dialogue of 60; actually 10 of 70 (dialogue cut short, information ran over).
    tally = dialogue_share.tally([(DIALOGUE, 30, 10), (INFORMATION, 30, 60)])
    assert (tally.dialogue_minutes, tally.total_minutes) == (10, 70)
    assert tally.information_heavy is True
    assert dialogue_share.item_minutes(30, None) == 30


def test_the_database_annotation_agrees_with_the_pure_function(world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    cases = {
        "empty": [],
        "decisions": [(DECISION, 30, None)],
        "third": [(DIALOGUE, 20, None), (INFORMATION, 40, None)],
        "actual": [(DIALOGUE, 30, 10), (INFORMATION, 30, 60)],
    }
    for title, items in cases.items():
        meeting = MeetingFactory(arena=arena, title=title)
        for position, (kind, planned, actual) in enumerate(items, start=1):
            AgendaItemFactory(
                meeting=meeting,
                position=position,
                kind=kind,
                planned_minutes=planned,
                actual_minutes=actual,
            )
    annotated = dialogue_share.with_minutes(Meeting.objects.filter(arena=arena))
    for meeting in annotated:
        expected = dialogue_share.tally(cases[meeting.title])
        assert (meeting.dialogue_minutes, meeting.total_minutes) == (
            expected.dialogue_minutes,
            expected.total_minutes,
        )
    heavy = annotated.filter(dialogue_share.information_heavy_condition())
    assert {m.title for m in heavy} == {"decisions", "actual"}


def _agenda(meeting, *items):
    for position, (kind, minutes) in enumerate(items, start=1):
        AgendaItemFactory(meeting=meeting, position=position, kind=kind, planned_minutes=minutes)


def test_the_meeting_list_shows_share_and_flag_and_filters_on_it(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    heavy = MeetingFactory(arena=arena, title="heavy")
    _agenda(heavy, (INFORMATION, 90), (DIALOGUE, 15))
    balanced = MeetingFactory(arena=arena, title="balanced")
    _agenda(balanced, (INFORMATION, 40), (DIALOGUE, 20))
    empty = MeetingFactory(arena=arena, title="empty")
    client = client_for("officer_a")

    listed = {m["title"]: m for m in client.get("/api/v1/meetings/").json()["results"]}
    assert listed["heavy"]["dialogue_share"] == pytest.approx(15 / 105)
    assert listed["heavy"]["information_heavy"] is True
    assert listed["balanced"]["dialogue_share"] == pytest.approx(1 / 3)
    assert listed["balanced"]["information_heavy"] is False
    assert listed["empty"]["dialogue_share"] is None
    assert listed["empty"]["information_heavy"] is False

    flagged = client.get("/api/v1/meetings/", {"information_heavy": "true"}).json()
    assert [m["id"] for m in flagged["results"]] == [heavy.id]
    others = client.get("/api/v1/meetings/", {"information_heavy": "false"}).json()
    assert {m["id"] for m in others["results"]} == {balanced.id, empty.id}
    detail = client.get(f"/api/v1/meetings/{heavy.id}/").json()
    assert detail["information_heavy"] is True


@pytest.mark.parametrize("field", ["planned_minutes", "actual_minutes"])
def test_zero_length_agenda_items_are_refused(client_for, world, field):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    body = {"meeting": meeting.id, "title": "Welcome", "kind": "information"}
    body.update({"planned_minutes": 10, field: 0})
    response = client_for("officer_a").post(
        "/api/v1/agenda-items/", body, format="json", HTTP_X_ACTING_FOR=str(world.purchaser_a.id)
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert "zero-length items are refused" in response.json()["error"]["message"]
    assert not AgendaItem.objects.exists()


def test_changing_an_item_to_zero_minutes_is_refused(client_for, world):
    item = AgendaItemFactory(
        meeting=MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    )
    response = client_for("officer_a").patch(
        f"/api/v1/agenda-items/{item.id}/",
        {"planned_minutes": 0},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.planned_minutes == 30


def _held(arena, when, *items, status=Meeting.Status.HELD):
    meeting = HeldMeetingFactory(arena=arena, starts_at=when, status=status)
    _agenda(meeting, *items)
    return meeting


def test_the_arena_series_is_weighted_by_minutes_per_quarter_with_gaps(world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    # Q1: a long balanced meeting and a short all-information one: weighted 60/200, not the
    # mean of the two shares (0.375).
    _held(arena, datetime.datetime(2026, 1, 20, 9, tzinfo=UTC), (DIALOGUE, 60), (INFORMATION, 100))
    _held(arena, datetime.datetime(2026, 3, 10, 9, tzinfo=UTC), (INFORMATION, 40))
    # Q2 has nothing; Q3 one meeting with approved minutes.
    _held(
        arena,
        datetime.datetime(2026, 8, 1, 9, tzinfo=UTC),
        (DIALOGUE, 30),
        (DECISION, 30),
        status=Meeting.Status.MINUTES_APPROVED,
    )
    # Planned and cancelled meetings are not part of the trend.
    MeetingFactory(arena=arena, starts_at=datetime.datetime(2026, 5, 1, 9, tzinfo=UTC))
    MeetingFactory(
        arena=arena,
        starts_at=datetime.datetime(2026, 5, 2, 9, tzinfo=UTC),
        status=Meeting.Status.CANCELLED,
    )
    series = dialogue_share.quarterly_series(arena.meetings.all())
    assert [q.label for q in series] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    q1, q2, q3 = series
    assert (q1.meetings, q1.information_heavy_meetings) == (2, 1)
    assert q1.share == pytest.approx(60 / 200)
    assert (q2.meetings, q2.share) == (0, None)
    assert q3.share == pytest.approx(0.5)
    assert (q1.starts_on, q1.ends_on) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_a_quarter_is_that_of_the_meetings_local_start(world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    # 23:30 UTC on 31 March is 01:30 on 1 April in Stockholm: the second quarter there.
    _held(arena, datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), (DIALOGUE, 30))
    assert [q.label for q in dialogue_share.quarterly_series(arena.meetings.all())] == ["2026-Q2"]


def test_the_dialogue_share_endpoint_answers_the_series(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    _held(arena, datetime.datetime(2026, 1, 20, 9, tzinfo=UTC), (DIALOGUE, 20), (INFORMATION, 80))
    response = client_for("politician_a").get(f"/api/v1/arenas/{arena.id}/dialogue-share/")
    assert response.status_code == 200
    body = response.json()
    assert body["weighting"] == "minutes"
    assert body["quarters"] == [
        {
            "quarter": "2026-Q1",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
            "meetings": 1,
            "information_heavy_meetings": 1,
            "dialogue_minutes": 20,
            "total_minutes": 100,
            "dialogue_share": 0.2,
        }
    ]


def test_an_arena_without_held_meetings_has_an_empty_series(client_for, world):
    arena = ArenaFactory(purchaser=world.purchaser_a)
    response = client_for("officer_a").get(f"/api/v1/arenas/{arena.id}/dialogue-share/")
    assert response.json()["quarters"] == []
