"""Concerns: raised → acknowledged → discussed → resolved, or withdrawn; every illegal
transition refused with the allowed next states; overdue when unacknowledged past reply-by."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import policies
from commissioning.models import Event
from dialogue.models import Concern, Meeting
from dialogue.services.concerns import CONCERN_LIFECYCLE
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.dialogue.relationship_factories import ContractFactory
from tests.factories import ProgrammeFactory, ProviderFactory

Status = Concern.Status
TODAY = timezone.localdate


def in_days(days: int) -> str:
    return (TODAY() + datetime.timedelta(days=days)).isoformat()


def post(client, path, data=None, acting_for=None):
    headers = {"HTTP_X_ACTING_FOR": str(acting_for.pk)} if acting_for else {}
    return client.post(path, data or {}, format="json", **headers)


def raise_by_provider(client_for, world, **extra):
    data = {
        "raised_with": world.purchaser_a.pk,
        "title": "Discharge notices arrive after 3 pm",
        "reply_by": in_days(14),
        **extra,
    }
    return post(client_for("provider_in_a"), "/api/v1/concerns/", data, world.provider_in_a)


@pytest.fixture
def held_meeting(world):
    return MeetingFactory(
        arena=ArenaFactory(purchaser=world.purchaser_a),
        starts_at=timezone.now() - datetime.timedelta(days=2),
        status=Meeting.Status.HELD,
    )


def make_concern(world, status=Status.RAISED, **extra):
    return Concern.objects.create(
        purchaser=world.purchaser_a,
        raised_by=world.provider_in_a,
        raised_with=world.purchaser_a,
        title="Unclear roles at discharge",
        reply_by=TODAY() + datetime.timedelta(days=7),
        status=status,
        **extra,
    )


# --- raising ----------------------------------------------------------------------------


def test_provider_raises_a_concern_with_its_purchaser(client_for, world):
    response = raise_by_provider(client_for, world, programme=world.programme_a.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "raised"
    assert body["purchaser"]["id"] == world.purchaser_a.pk
    assert body["raised_by"]["id"] == world.provider_in_a.pk
    assert body["raised_with"]["id"] == world.purchaser_a.pk
    assert body["programme"]["id"] == world.programme_a.pk
    assert body["is_overdue"] is False
    assert body["allowed_transitions"] == ["acknowledged", "withdrawn"]
    assert body["raised_by_person"] == "provider_in_a"
    event = Event.objects.get(verb="concern.raised")
    assert event.purchaser == world.purchaser_a
    assert event.acting_for == world.provider_in_a


def test_purchaser_raises_a_concern_with_a_provider_under_contract(client_for, world):
    contracted = ProviderFactory(name="Contracted clinic")
    ContractFactory(programme=ProgrammeFactory(purchaser=world.purchaser_a), providers=[contracted])
    response = post(
        client_for("officer_a"),
        "/api/v1/concerns/",
        {"raised_with": contracted.pk, "title": "Reports are late", "reply_by": in_days(10)},
        world.purchaser_a,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["purchaser"]["id"] == world.purchaser_a.pk
    assert response.json()["raised_with"]["id"] == contracted.pk


def test_network_raises_a_concern_with_the_purchaser_of_its_programme(client_for, world):
    response = post(
        client_for("network_rep"),
        "/api/v1/concerns/",
        {"raised_with": world.purchaser_a.pk, "title": "One line, please", "reply_by": in_days(5)},
        world.network,
    )
    assert response.status_code == 201, response.json()


def test_raising_with_an_organisation_outside_the_relationship_is_refused(client_for, world):
    # Provider outside A takes part in B's programme, not A's.
    response = post(
        client_for("officer_a"),
        "/api/v1/concerns/",
        {"raised_with": world.provider_outside.pk, "title": "x", "reply_by": in_days(5)},
        world.purchaser_a,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_in_relationship"
    assert "raised_with" in response.json()["error"]["fields"]
    assert not Concern.objects.exists()


def test_raising_with_the_same_side_is_refused(client_for, world):
    response = raise_by_provider(client_for, world, raised_with=world.network.pk)
    assert response.status_code == 400
    assert "raised_with" in response.json()["error"]["fields"]
    assert not Concern.objects.exists()


def test_raising_with_an_invisible_organisation_is_refused_as_unknown(client_for, world):
    response = raise_by_provider(client_for, world, raised_with=world.purchaser_b.pk)
    assert response.status_code == 400
    assert "raised_with" in response.json()["error"]["fields"]
    assert not Concern.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_reply_by_must_be_in_the_future(client_for, world, days):
    response = raise_by_provider(client_for, world, reply_by=in_days(days))
    assert response.status_code == 400
    assert "reply_by" in response.json()["error"]["fields"]
    assert not Concern.objects.exists()


def test_programme_of_another_purchaser_is_refused(client_for, world):
    other = ProgrammeFactory(purchaser=world.purchaser_b, participants=[world.provider_in_a])
    response = raise_by_provider(client_for, world, programme=other.pk)
    assert response.status_code == 400
    assert "programme" in response.json()["error"]["fields"]


def test_unknown_fields_are_refused(client_for, world):
    response = raise_by_provider(client_for, world, status="resolved")
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_politician_cannot_raise_a_concern(client_for, world):
    response = post(
        client_for("politician_a"),
        "/api/v1/concerns/",
        {"raised_with": world.provider_in_a.pk, "title": "x", "reply_by": in_days(5)},
        world.political_body_a,
    )
    assert response.status_code == 403
    assert not Concern.objects.exists()


def test_acting_for_an_organisation_one_is_not_a_member_of_is_refused(client_for, world):
    response = post(
        client_for("provider_outside"),
        "/api/v1/concerns/",
        {"raised_with": world.purchaser_a.pk, "title": "x", "reply_by": in_days(5)},
        world.provider_in_a,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_member"


# --- the lifecycle ----------------------------------------------------------------------


def test_full_lifecycle_raised_acknowledged_discussed_resolved(client_for, world, held_meeting):
    concern_id = raise_by_provider(client_for, world).json()["id"]
    base = f"/api/v1/concerns/{concern_id}"

    acknowledged = post(client_for("officer_a"), f"{base}/acknowledge/", {}, world.purchaser_a)
    assert acknowledged.status_code == 200, acknowledged.json()
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["acknowledged_at"] is not None

    discussed = post(
        client_for("manager_a"),
        f"{base}/discussed/",
        {"meeting": held_meeting.pk},
        world.purchaser_a,
    )
    assert discussed.status_code == 200, discussed.json()
    assert discussed.json()["status"] == "discussed"
    assert discussed.json()["discussed_at"]["id"] == held_meeting.pk

    resolved = post(
        client_for("provider_in_a"),
        f"{base}/resolve/",
        {"resolution": "Notices now come before noon."},
        world.provider_in_a,
    )
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolution"] == "Notices now come before noon."
    assert resolved.json()["closed_at"] is not None
    assert resolved.json()["allowed_transitions"] == []

    verbs = list(
        Event.objects.filter(subject_id=str(concern_id), verb__startswith="concern.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "concern.raised",
        "concern.acknowledged",
        "concern.discussed",
        "concern.resolved",
    ]
    assert set(
        Event.objects.filter(verb__startswith="concern.").values_list("purchaser", flat=True)
    ) == {world.purchaser_a.pk}


def test_raiser_withdraws_a_concern(client_for, world):
    concern = make_concern(world)
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/concerns/{concern.pk}/withdraw/",
        {},
        world.provider_in_a,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert Event.objects.filter(verb="concern.withdrawn", subject_id=str(concern.pk)).exists()


def test_acknowledged_concern_can_be_resolved_without_a_meeting(client_for, world):
    concern = make_concern(world, status=Status.ACKNOWLEDGED)
    response = post(
        client_for("officer_a"),
        f"/api/v1/concerns/{concern.pk}/resolve/",
        {"resolution": "Clarified in writing."},
        world.purchaser_a,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "resolved"


# --- who may move it --------------------------------------------------------------------


def test_only_the_side_it_was_raised_with_acknowledges(client_for, world):
    concern = make_concern(world)
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/concerns/{concern.pk}/acknowledge/",
        {},
        world.provider_in_a,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_raised_with"
    concern.refresh_from_db()
    assert concern.status == Status.RAISED


def test_only_the_raiser_withdraws(client_for, world):
    concern = make_concern(world)
    response = post(
        client_for("manager_a"), f"/api/v1/concerns/{concern.pk}/withdraw/", {}, world.purchaser_a
    )
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.status == Status.RAISED


def test_provider_cannot_mark_a_concern_discussed(client_for, world, held_meeting):
    # Invited, so the provider sees the meeting: the refusal is about who keeps the log.
    InvitationFactory(meeting=held_meeting, organisation=world.provider_in_a)
    concern = make_concern(world, status=Status.ACKNOWLEDGED)
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/concerns/{concern.pk}/discussed/",
        {"meeting": held_meeting.pk},
        world.provider_in_a,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_purchaser_staff"
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED


def test_discussed_at_a_meeting_of_another_purchaser_is_refused(client_for, world):
    concern = make_concern(world, status=Status.ACKNOWLEDGED)
    other = MeetingFactory(
        arena=ArenaFactory(purchaser=world.purchaser_b), status=Meeting.Status.HELD
    )
    response = post(
        client_for("officer_a"),
        f"/api/v1/concerns/{concern.pk}/discussed/",
        {"meeting": other.pk},
        world.purchaser_a,
    )
    # Invisible to purchaser A's officer: refused as an unknown meeting, nothing leaked.
    assert response.status_code == 400
    assert "meeting" in response.json()["error"]["fields"]
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED


def test_discussed_needs_a_held_meeting(client_for, world):
    concern = make_concern(world, status=Status.ACKNOWLEDGED)
    planned = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    response = post(
        client_for("officer_a"),
        f"/api/v1/concerns/{concern.pk}/discussed/",
        {"meeting": planned.pk},
        world.purchaser_a,
    )
    assert response.status_code == 400
    assert "meeting" in response.json()["error"]["fields"]
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED


def test_resolution_text_is_required(client_for, world):
    concern = make_concern(world, status=Status.ACKNOWLEDGED)
    response = post(
        client_for("officer_a"),
        f"/api/v1/concerns/{concern.pk}/resolve/",
        {"resolution": "   "},
        world.purchaser_a,
    )
    assert response.status_code == 400
    assert "resolution" in response.json()["error"]["fields"]
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED


def test_politician_cannot_move_concerns_and_learns_nothing_of_them(client_for, world):
    concern = make_concern(world)
    answers = [
        post(client_for("politician_a"), path, {}, world.political_body_a)
        for path in (
            f"/api/v1/concerns/{concern.pk}/acknowledge/",
            "/api/v1/concerns/0/acknowledge/",
        )
    ]
    # Refused for the role, the same for the concern as for one that does not exist.
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()


# --- every illegal transition -----------------------------------------------------------

ACTIONS = {
    Status.ACKNOWLEDGED: ("acknowledge", "officer_a", "purchaser_a", {}),
    Status.DISCUSSED: ("discussed", "officer_a", "purchaser_a", "meeting"),
    Status.RESOLVED: ("resolve", "provider_in_a", "provider_in_a", {"resolution": "Done."}),
    Status.WITHDRAWN: ("withdraw", "provider_in_a", "provider_in_a", {}),
}
ILLEGAL = [
    (current, target)
    for current in Status
    for target in ACTIONS
    if target not in CONCERN_LIFECYCLE.table[current]
]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transition_is_409_listing_the_allowed_next_states(
    client_for, world, held_meeting, current, target
):
    concern = make_concern(world, status=current)
    action, actor, organisation, data = ACTIONS[target]
    if data == "meeting":
        data = {"meeting": held_meeting.pk}
    response = post(
        client_for(actor),
        f"/api/v1/concerns/{concern.pk}/{action}/",
        data,
        getattr(world, organisation),
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"]["allowed"] == [str(s) for s in CONCERN_LIFECYCLE.table[current]]
    concern.refresh_from_db()
    assert concern.status == current
    assert not Event.objects.filter(verb__startswith="concern.").exists()


def test_illegal_transitions_cover_every_closed_state():
    assert {(Status.RESOLVED, t) for t in ACTIONS} <= set(ILLEGAL)
    assert {(Status.WITHDRAWN, t) for t in ACTIONS} <= set(ILLEGAL)
    assert (Status.RAISED, Status.DISCUSSED) in ILLEGAL
    assert (Status.RAISED, Status.RESOLVED) in ILLEGAL


# --- overdue ----------------------------------------------------------------------------


def test_overdue_is_raised_and_past_reply_by(client_for, world):
    yesterday = TODAY() - datetime.timedelta(days=1)
    overdue = make_concern(world)
    Concern.objects.filter(pk=overdue.pk).update(reply_by=yesterday)
    acknowledged_late = make_concern(world, status=Status.ACKNOWLEDGED)
    Concern.objects.filter(pk=acknowledged_late.pk).update(reply_by=yesterday)
    due_today = make_concern(world)
    Concern.objects.filter(pk=due_today.pk).update(reply_by=TODAY())
    client = client_for("manager_a")

    listed = {c["id"]: c["is_overdue"] for c in client.get("/api/v1/concerns/").json()["results"]}
    assert listed == {overdue.pk: True, acknowledged_late.pk: False, due_today.pk: False}
    only = client.get("/api/v1/concerns/", {"overdue": "true"}).json()["results"]
    assert [c["id"] for c in only] == [overdue.pk]
    others = client.get("/api/v1/concerns/", {"overdue": "false"}).json()["results"]
    assert {c["id"] for c in others} == {acknowledged_late.pk, due_today.pk}


def test_concern_list_queries_do_not_grow_with_the_page_size(client_for, world, held_meeting):
    for _n in range(120):
        make_concern(
            world, status=Status.DISCUSSED, discussed_at=held_meeting, programme=world.programme_a
        )
    for actor in ("manager_a", "provider_in_a"):
        client = client_for(actor)
        counts = {}
        for size in (10, 100):
            policies.forget_standing(world.people[actor])
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/api/v1/concerns/", {"page_size": size})
            assert response.status_code == 200
            assert len(response.json()["results"]) == size
            counts[size] = len(captured)
        assert counts[10] == counts[100] <= 10
