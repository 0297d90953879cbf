"""Who may see and do what with arenas, meetings, agenda items and actions, endpoint by
endpoint, for every actor of the world and anonymous; and that list endpoints keep a
constant query count."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import policies
from commissioning.models import Event
from dialogue.models import Arena, Meeting
from tests.dialogue.factories import AgendaItemFactory, ArenaFactory, InvitationFactory
from tests.dialogue.meeting_factories import (
    ActionItemFactory,
    DecisionFactory,
    MinutesRevisionFactory,
    meeting_in_a,
)

ACTORS = [
    "manager_a",
    "officer_a",
    "manager_b",
    "provider_in_a",
    "provider_outside",
    "network_rep",
    "network_member",
    "politician_a",
    None,
]
ACTING_FOR = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "network_member": "network_member",
    "politician_a": "political_body_a",
}
# Who sees purchaser A's meeting (invited: provider_in_a and the network, so its member too).
SEES_MEETING = {
    "manager_a",
    "officer_a",
    "provider_in_a",
    "network_rep",
    "network_member",
    "politician_a",
}
# Who sees A's arena (member: provider_in_a).
SEES_ARENA = {"manager_a", "officer_a", "provider_in_a", "politician_a"}


@dataclass
class Scene:
    arena: Arena
    planned: Meeting  # started an hour ago, not yet logged
    held: Meeting  # held, with minutes, an agenda item and an action


def scene(world) -> Scene:
    planned = meeting_in_a(world, starts_at=timezone.now() - datetime.timedelta(hours=1))
    held = meeting_in_a(world, held=True)
    held.arena = planned.arena
    held.save()
    ArenaFactory(purchaser=world.purchaser_a)  # a second arena, with no members
    MinutesRevisionFactory(meeting=held)
    item = AgendaItemFactory(meeting=held, position=1)
    AgendaItemFactory(meeting=held, position=2, kind="information")
    DecisionFactory(agenda_item=item)
    ActionItemFactory(meeting=held)
    return Scene(arena=planned.arena, planned=planned, held=held)


def expected_for_an_object(actor, sees, success, *, manager_only=False):
    if actor is None:
        return 401
    if actor not in sees:
        # Only purchaser staff write these: anyone else is refused for the role, any id.
        return 404 if actor == "manager_b" else 403
    if actor == "manager_a" or (actor == "officer_a" and not manager_only):
        return success
    return 403


def _due():
    return (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


def _meeting_body(world, s):
    start = timezone.now() - datetime.timedelta(days=1)
    return {
        "title": "New",
        "arena": s.arena.id,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "place": "Hall",
    }


# (name, method, path, body, who sees the object it acts on, success, manager only)
OBJECT_WRITES = [
    ("arena change", "patch", lambda s: f"/api/v1/arenas/{s.arena.id}/",
     lambda w, s: {"cadence_weeks": 4}, SEES_ARENA, 200, False),
    ("meeting change", "patch", lambda s: f"/api/v1/meetings/{s.planned.id}/",
     lambda w, s: {"place": "Room 2"}, SEES_MEETING, 200, False),
    ("cancel", "post", lambda s: f"/api/v1/meetings/{s.planned.id}/cancel/",
     lambda w, s: {"reason": "Snow"}, SEES_MEETING, 200, False),
    ("hold", "post", lambda s: f"/api/v1/meetings/{s.planned.id}/hold/",
     lambda w, s: {}, SEES_MEETING, 200, False),
    ("log", "post", lambda s: f"/api/v1/meetings/{s.planned.id}/log/",
     lambda w, s: {"minutes": "Logged"}, SEES_MEETING, 200, False),
    ("approve minutes", "post", lambda s: f"/api/v1/meetings/{s.held.id}/approve-minutes/",
     lambda w, s: {}, SEES_MEETING, 200, True),
    ("attendance", "put", lambda s: f"/api/v1/meetings/{s.held.id}/attendance/",
     lambda w, s: {"entries": [{"organisation": w.provider_in_a.id, "status": "present"}]},
     SEES_MEETING, 200, False),
    ("minutes", "post", lambda s: f"/api/v1/meetings/{s.held.id}/minutes/",
     lambda w, s: {"text": "More"}, SEES_MEETING, 201, False),
    ("agenda item create", "post", lambda s: "/api/v1/agenda-items/",
     lambda w, s: {"meeting": s.held.id, "title": "AOB", "kind": "dialogue",
                   "planned_minutes": 10}, SEES_MEETING, 201, False),
    ("agenda item change", "patch",
     lambda s: f"/api/v1/agenda-items/{s.held.agenda_items.get(position=1).id}/",
     lambda w, s: {"actual_minutes": 25}, SEES_MEETING, 200, False),
    ("agenda item delete", "delete",
     lambda s: f"/api/v1/agenda-items/{s.held.agenda_items.get(position=2).id}/",
     lambda w, s: None, SEES_MEETING, 204, False),
    ("decision", "post",
     lambda s: f"/api/v1/agenda-items/{s.held.agenda_items.get(position=1).id}/decisions/",
     lambda w, s: {"text": "Agreed"}, SEES_MEETING, 201, False),
    ("action create", "post", lambda s: "/api/v1/action-items/",
     lambda w, s: {"meeting": s.held.id, "title": "Do", "owner_organisation":
                   w.provider_in_a.id, "due_date": _due()}, SEES_MEETING, 201, False),
    ("action done", "post",
     lambda s: f"/api/v1/action-items/{s.held.action_items.get().id}/done/",
     lambda w, s: {}, SEES_MEETING, 200, False),
    ("action drop", "post",
     lambda s: f"/api/v1/action-items/{s.held.action_items.get().id}/drop/",
     lambda w, s: {"reason": "Moot"}, SEES_MEETING, 200, False),
]  # fmt: skip


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "sees", "success", "manager_only"),
    OBJECT_WRITES,
    ids=[row[0] for row in OBJECT_WRITES],
)
def test_writes_on_purchaser_as_objects(
    client_for, world, actor, name, method, path, body, sees, success, manager_only
):
    s = scene(world)
    events = Event.objects.count()
    headers = {}
    if actor is not None:
        headers["HTTP_X_ACTING_FOR"] = str(getattr(world, ACTING_FOR[actor]).id)
    response = getattr(client_for(actor), method)(path(s), body(world, s), format="json", **headers)
    expected = {expected_for_an_object(actor, sees, success, manager_only=manager_only)}
    if method == "post" and path(s) in CREATE_PATHS and expected == {404}:
        # The object is named in the body, and B's manager cannot see it: refused on that field
        # as a missing id (400, tests/authorization/test_hidden_ids.py). A provider is refused
        # first for what it is (403): who may write is decided before the body.
        expected = {400} if actor == "manager_b" else {403}
    assert response.status_code in expected, response.content
    if min(expected) >= 400:
        assert response.json()["error"]["message"]
        assert Event.objects.count() == events
    else:
        assert Event.objects.count() == events + 1


CREATE_PATHS = {"/api/v1/agenda-items/", "/api/v1/action-items/"}

CREATE_WRITES = [
    # POST /arenas/: every purchaser's staff set up their own; nobody else.
    ("arena", "/api/v1/arenas/",
     lambda w, s: {"name": "Council", "kind": "provider_council"},
     {"manager_a": 201, "officer_a": 201, "manager_b": 201}),
    # A meeting in A's arena: B's manager acts for B, whose arena it is not.
    ("meeting", "/api/v1/meetings/", _meeting_body,
     {"manager_a": 201, "officer_a": 201, "manager_b": 400}),
    ("meeting and log", "/api/v1/meetings/log/",
     lambda w, s: {"meeting": _meeting_body(w, s), "minutes": "Done"},
     {"manager_a": 201, "officer_a": 201, "manager_b": 400}),
]  # fmt: skip


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "path", "body", "allowed"), CREATE_WRITES, ids=[row[0] for row in CREATE_WRITES]
)
def test_creating(client_for, world, actor, name, path, body, allowed):
    s = scene(world)
    events = Event.objects.count()
    headers = {}
    if actor is not None:
        headers["HTTP_X_ACTING_FOR"] = str(getattr(world, ACTING_FOR[actor]).id)
    response = client_for(actor).post(path, body(world, s), format="json", **headers)
    expected = {401} if actor is None else {allowed.get(actor, 403)}
    if name != "arena" and actor in {"provider_outside", "network_rep", "network_member"}:
        # A provider is refused for what it is (403) before the arena it names is looked at:
        # who may write is decided before the body.
        expected = {403}
    assert response.status_code in expected, response.content
    assert Event.objects.count() == events + (1 if expected == {201} else 0)


READS = [
    ("arena", lambda s: f"/api/v1/arenas/{s.arena.id}/", SEES_ARENA),
    ("dialogue share", lambda s: f"/api/v1/arenas/{s.arena.id}/dialogue-share/", SEES_ARENA),
    ("meeting", lambda s: f"/api/v1/meetings/{s.held.id}/", SEES_MEETING),
    (
        "agenda item",
        lambda s: f"/api/v1/agenda-items/{s.held.agenda_items.get(position=1).id}/",
        SEES_MEETING,
    ),
    ("action", lambda s: f"/api/v1/action-items/{s.held.action_items.get().id}/", SEES_MEETING),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "path", "sees"), READS, ids=[row[0] for row in READS])
def test_reading_one(client_for, world, actor, name, path, sees):
    s = scene(world)
    response = client_for(actor).get(path(s))
    expected = 401 if actor is None else (200 if actor in sees else 404)
    assert response.status_code == expected


LISTS = [
    ("/api/v1/arenas/", lambda s: {s.arena.id}, SEES_ARENA),
    ("/api/v1/meetings/", lambda s: {s.planned.id, s.held.id}, SEES_MEETING),
    ("/api/v1/agenda-items/", lambda s: set(s.held.agenda_items.values_list("id", flat=True)),
     SEES_MEETING),
    ("/api/v1/action-items/", lambda s: set(s.held.action_items.values_list("id", flat=True)),
     SEES_MEETING),
]  # fmt: skip


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("path", "ids_of", "sees"), LISTS, ids=[row[0] for row in LISTS])
def test_lists_hold_only_what_the_actor_may_see(client_for, world, actor, path, ids_of, sees):
    s = scene(world)
    response = client_for(actor).get(path)
    if actor is None:
        assert response.status_code == 401
        return
    listed = {row["id"] for row in response.json()["results"]}
    ours = ids_of(s)
    if actor in sees:
        assert ours <= listed
    else:
        assert not ours & listed


def test_a_provider_invited_by_name_sees_the_meeting(client_for, world):
    meeting = meeting_in_a(world)
    meeting.invitations.all().delete()
    InvitationFactory(
        meeting=meeting,
        organisation=world.provider_outside,
        person=world.people["provider_outside"],
    )
    response = client_for("provider_outside").get(f"/api/v1/meetings/{meeting.id}/")
    assert response.status_code == 200


def test_purchaser_b_sees_nothing_of_purchaser_as_meetings(client_for, world):
    scene(world)
    for path in ("/api/v1/meetings/", "/api/v1/arenas/", "/api/v1/agenda-items/",
                 "/api/v1/action-items/"):  # fmt: skip
        assert client_for("manager_b").get(path).json()["results"] == []


# --- query counts ---------------------------------------------------------------------------

MAX_QUERIES = 10


@pytest.fixture
def crowded(world):
    arena = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    start = timezone.now() - datetime.timedelta(days=400)
    for n in range(110):
        meeting = meeting_in_a(world, starts_at=start + datetime.timedelta(days=3 * n))
        meeting.arena = arena
        meeting.save()
        first = AgendaItemFactory(
            meeting=meeting, position=1, kind="information", planned_minutes=40
        )
        DecisionFactory(agenda_item=first)
        ActionItemFactory(meeting=meeting, owner_organisation=world.provider_in_a)
        AgendaItemFactory(meeting=meeting, position=2, kind="dialogue", planned_minutes=n % 30 + 1)
    for each in Arena.objects.all():
        each.members.add(world.network)
    return world


@pytest.mark.parametrize("actor", ["manager_a", "provider_in_a", "network_member"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/meetings/", "/api/v1/arenas/", "/api/v1/agenda-items/", "/api/v1/action-items/"],
)
def test_list_queries_do_not_grow_with_the_page_size(client_for, crowded, actor, path):
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        policies.forget_standing(crowded.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= MAX_QUERIES
    assert len(response.json()["results"]) > 10, response.json()


def test_the_information_heavy_filter_keeps_the_query_budget(client_for, crowded):
    client = client_for("manager_a")
    policies.forget_standing(crowded.people["manager_a"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/meetings/", {"page_size": 100, "information_heavy": "true"})
    assert response.status_code == 200
    assert response.json()["count"] > 0
    assert all(m["information_heavy"] for m in response.json()["results"])
    assert len(captured) <= MAX_QUERIES


def test_a_purchaser_invited_to_another_purchasers_meeting_sees_it(client_for, world):
    """Hospital–municipality collaboration: purchaser B's staff are invited as organisation
    to purchaser A's meeting, and read it (and only it)."""
    from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory

    arena = ArenaFactory(purchaser=world.purchaser_a)
    invited = MeetingFactory(arena=arena, title="Collaboration meeting")
    MeetingFactory(arena=arena, title="Internal meeting")
    InvitationFactory(meeting=invited, organisation=world.purchaser_b)
    response = client_for("manager_b").get("/api/v1/meetings/")
    assert response.status_code == 200
    assert [m["title"] for m in response.json()["results"]] == ["Collaboration meeting"]
