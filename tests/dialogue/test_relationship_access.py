"""Who may do what on every endpoint of the calendar, concerns, relationship health and
equal treatment: the eight actors of the world and anonymous."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from dialogue.models import CalendarFeed, Concern, Meeting
from tests.authorization.endpoints import refused_for_role
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory

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
# The organisation each actor acts for.
ORGANISATION = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "network_member": "network_member",
    "politician_a": "political_body_a",
}
A_READERS = {"manager_a": 200, "officer_a": 200, "politician_a": 200}


def expected(table: dict, actor, default=404):
    if actor is None:
        return 401
    return table.get(actor, default)


def headers(world, actor):
    if actor is None:
        return {}
    return {"HTTP_X_ACTING_FOR": str(getattr(world, ORGANISATION[actor]).pk)}


@pytest.fixture
def setting(world):
    arena = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    meeting = MeetingFactory(arena=arena)
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a)
    held = MeetingFactory(
        arena=arena,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
    )
    InvitationFactory(meeting=held, organisation=world.provider_in_a)
    world.arena, world.meeting, world.held = arena, meeting, held
    return world


def concern(world, status=Concern.Status.RAISED):
    return Concern.objects.create(
        purchaser=world.purchaser_a,
        raised_by=world.provider_in_a,
        raised_with=world.purchaser_a,
        title="Discharge notices arrive after 3 pm",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
        status=status,
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_meeting_ics(client_for, setting, actor):
    response = client_for(actor).get(f"/api/v1/meetings/{setting.meeting.pk}/ics/")
    assert response.status_code == expected({**A_READERS, "provider_in_a": 200}, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_show_my_feed(client_for, setting, actor):
    response = client_for(actor).get("/api/v1/calendar/feed/")
    assert response.status_code == expected({}, actor, default=200)


@pytest.mark.parametrize("actor", ACTORS)
def test_reset_my_feed(client_for, setting, actor):
    response = client_for(actor).post("/api/v1/calendar/feed/", {}, format="json")
    assert response.status_code == expected({}, actor, default=200)
    assert Event.objects.filter(verb="calendar_feed.reset").exists() == (actor is not None)


@pytest.mark.parametrize("actor", [a for a in ACTORS if a])
def test_each_persons_feed_opens_without_login_by_its_token(api, setting, actor):
    feed = CalendarFeed.objects.create(person=setting.people[actor])
    response = api.get(f"/api/v1/calendar/{feed.token}.ics")
    assert response.status_code == 200
    invited = actor == "provider_in_a"
    assert (b"BEGIN:VEVENT" in response.content) == invited


def test_feed_with_an_unknown_token_is_404(api, setting):
    assert api.get("/api/v1/calendar/unknown-token-unknown-token.ics").status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_concern_list(client_for, setting, actor):
    item = concern(setting)
    response = client_for(actor).get("/api/v1/concerns/")
    assert response.status_code == expected({}, actor, default=200)
    if actor is not None:
        sees = actor in {"manager_a", "officer_a", "provider_in_a"}
        assert [c["id"] for c in response.json()["results"]] == ([item.pk] if sees else [])


@pytest.mark.parametrize("actor", ACTORS)
def test_concern_detail(client_for, setting, actor):
    item = concern(setting)
    response = client_for(actor).get(f"/api/v1/concerns/{item.pk}/")
    table = {"manager_a": 200, "officer_a": 200, "provider_in_a": 200}
    assert response.status_code == expected(table, actor)


# Each actor raises with the other side of its own relationship where it has one.
RAISE_WITH = {
    "manager_a": "provider_in_a",
    "officer_a": "provider_in_a",
    "manager_b": "provider_outside",
    "provider_in_a": "purchaser_a",
    "provider_outside": "purchaser_b",
    "network_rep": "purchaser_a",
    "network_member": "purchaser_a",  # its network takes part, not itself
    "politician_a": "provider_in_a",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_raise_concern(client_for, setting, actor):
    other = getattr(setting, RAISE_WITH[actor]) if actor else setting.purchaser_a
    response = client_for(actor).post(
        "/api/v1/concerns/",
        {
            "raised_with": other.pk,
            "title": "Unclear roles",
            "reply_by": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
        format="json",
        **headers(setting, actor),
    )
    table = {
        "manager_a": 201,
        "officer_a": 201,
        "manager_b": 201,
        "provider_in_a": 201,
        "provider_outside": 201,
        "network_rep": 201,
        "network_member": 400,
        "politician_a": 403,
    }
    assert response.status_code == expected(table, actor)
    assert Concern.objects.exists() == (response.status_code == 201)


TRANSITION_TABLE = {
    # action: (starting status, body, who gets what; 404 for the rest)
    "acknowledge": (
        Concern.Status.RAISED,
        {},
        {"manager_a": 200, "officer_a": 200, "provider_in_a": 403},
    ),
    "discussed": (
        Concern.Status.ACKNOWLEDGED,
        "held",
        {"manager_a": 200, "officer_a": 200, "provider_in_a": 403},
    ),
    "resolve": (
        Concern.Status.ACKNOWLEDGED,
        {"resolution": "Agreed new routine."},
        {"manager_a": 200, "officer_a": 200, "provider_in_a": 200},
    ),
    "withdraw": (
        Concern.Status.RAISED,
        {},
        {"manager_a": 403, "officer_a": 403, "provider_in_a": 200},
    ),
}


@pytest.mark.parametrize("action", list(TRANSITION_TABLE))
@pytest.mark.parametrize("actor", ACTORS)
def test_concern_transition(client_for, setting, actor, action):
    status, body, table = TRANSITION_TABLE[action]
    item = concern(setting, status=status)
    if body == "held":
        body = {"meeting": setting.held.pk}
    response = client_for(actor).post(
        f"/api/v1/concerns/{item.pk}/{action}/", body, format="json", **headers(setting, actor)
    )
    path = f"/api/v1/concerns/{item.pk}/{action}/"
    refused = refused_for_role(actor, path, "POST")
    assert response.status_code == (403 if refused else expected(table, actor))
    item.refresh_from_db()
    assert (item.status != status) == (response.status_code == 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_relationship_list(client_for, setting, actor):
    response = client_for(actor).get("/api/v1/relationships/")
    assert response.status_code == expected({}, actor, default=200)


@pytest.mark.parametrize("actor", ACTORS)
def test_programme_equal_treatment(client_for, setting, actor):
    response = client_for(actor).get(
        f"/api/v1/programmes/{setting.programme_a.pk}/equal-treatment/"
    )
    assert response.status_code == expected(A_READERS, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_arena_equal_treatment(client_for, setting, actor):
    # Provider in A sits in the arena and reads it, but not this report.
    response = client_for(actor).get(f"/api/v1/arenas/{setting.arena.pk}/equal-treatment/")
    assert response.status_code == expected(A_READERS, actor)


def test_programme_equal_treatment_of_a_missing_programme_is_404(client_for, setting):
    response = client_for("manager_a").get("/api/v1/programmes/999999/equal-treatment/")
    assert response.status_code == 404
