"""Relationship health figures on a built scenario, the attention order, who reads which
relationships, and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import policies
from dialogue.models import ActionItem, AttendanceEntry, Concern, Meeting, RelationshipSettings
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.dialogue.relationship_factories import (
    ActionItemFactory,
    AttendanceRevisionFactory,
    ConcernFactory,
    ContractFactory,
)
from tests.factories import ProgrammeFactory, ProviderFactory

Status = Meeting.Status


def days_ago(days: int) -> datetime.datetime:
    """Noon of the local day `days` back: the figures count calendar days, so an instant
    taken late in the evening across a summer-time change fell on the day after."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def held(arena, days, **kwargs):
    return MeetingFactory(arena=arena, starts_at=days_ago(days), status=Status.HELD, **kwargs)


@pytest.fixture
def scenario(world):
    """Purchaser A with three relationships:
    - Provider in A (programme): last present 30 days ago (a later meeting's corrected
      attendance says absent), two open concerns (one overdue), acknowledged after 2 and
      4 days, two open actions (one overdue);
    - Contracted clinic (contract only): last present 120 days ago, one overdue action;
    - Network in A (programme): never met.
    A alerts after 100 days.
    """
    RelationshipSettings.objects.create(purchaser=world.purchaser_a, no_meeting_alert_days=100)
    arena = ArenaFactory(purchaser=world.purchaser_a)
    provider = world.provider_in_a
    contracted = ProviderFactory(name="Contracted clinic")
    ContractFactory(programme=ProgrammeFactory(purchaser=world.purchaser_a), providers=[contracted])

    thirty = held(arena, 30)
    AttendanceRevisionFactory(meeting=thirty, number=1, present=[provider])
    # Minutes approved also counts as held.
    thirty.status = Status.MINUTES_APPROVED
    thirty.save()
    ten = held(arena, 10)
    AttendanceRevisionFactory(meeting=ten, number=1, present=[provider, world.network])
    AttendanceRevisionFactory(meeting=ten, number=2, absent=[provider, world.network])
    # Invited to a planned and a cancelled meeting: neither is a meeting point.
    planned = MeetingFactory(arena=arena, starts_at=days_ago(-5))
    InvitationFactory(meeting=planned, organisation=world.network)
    cancelled = MeetingFactory(arena=arena, starts_at=days_ago(3), status=Status.CANCELLED)
    AttendanceRevisionFactory(meeting=cancelled, present=[world.network])
    old = held(arena, 120)
    AttendanceRevisionFactory(meeting=old, present=[contracted])
    # A meeting of purchaser B does not count for A.
    other_arena = ArenaFactory(purchaser=world.purchaser_b)
    b_meeting = held(other_arena, 1)
    AttendanceRevisionFactory(meeting=b_meeting, present=[provider])

    overdue = ConcernFactory(purchaser=world.purchaser_a, raised_by=provider)
    Concern.objects.filter(pk=overdue.pk).update(reply_by=day(-1))
    acknowledged = ConcernFactory(
        purchaser=world.purchaser_a,
        raised_by=world.purchaser_a,
        raised_with=provider,
        status=Concern.Status.ACKNOWLEDGED,
    )
    Concern.objects.filter(pk=acknowledged.pk).update(
        created_at=days_ago(10), acknowledged_at=days_ago(8)
    )
    resolved = ConcernFactory(
        purchaser=world.purchaser_a, raised_by=provider, status=Concern.Status.RESOLVED
    )
    Concern.objects.filter(pk=resolved.pk).update(
        created_at=days_ago(10), acknowledged_at=days_ago(6)
    )
    ConcernFactory(purchaser=world.purchaser_a, raised_by=provider, status=Concern.Status.WITHDRAWN)
    # B's concern with the same provider is not A's.
    ConcernFactory(purchaser=world.purchaser_b, raised_by=provider, raised_with=world.purchaser_b)

    ActionItemFactory(meeting=ten, owner_organisation=provider, due_date=day(-3))
    ActionItemFactory(meeting=ten, owner_organisation=provider, due_date=day(5))
    ActionItemFactory(
        meeting=ten, owner_organisation=provider, due_date=day(-3), status=ActionItem.Status.DONE
    )
    ActionItemFactory(meeting=b_meeting, owner_organisation=provider, due_date=day(-3))
    ActionItemFactory(meeting=old, owner_organisation=contracted, due_date=day(-60))
    world.contracted = contracted
    return world


def rows(client, **params):
    response = client.get("/api/v1/relationships/", params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def by_provider(results):
    return {r["provider"]["name"]: r for r in results}


def test_figures_of_each_relationship(client_for, scenario):
    results = by_provider(rows(client_for("manager_a")))
    assert set(results) == {"Provider in A", "Contracted clinic", "Network in A"}

    provider = results["Provider in A"]
    assert provider["purchaser"] == {"id": scenario.purchaser_a.pk, "name": "Region A"}
    assert provider["last_meeting_on"] == day(-30).isoformat()
    assert provider["days_since_last_meeting"] == 30
    assert provider["open_concerns"] == 2
    assert provider["overdue_concerns"] == 1
    assert provider["open_actions"] == 2
    assert provider["overdue_actions"] == 1
    assert provider["median_days_to_acknowledge"] == 3.0
    assert provider["alert_after_days"] == 100
    assert provider["no_meeting_alert"] is False

    contracted = results["Contracted clinic"]
    assert contracted["days_since_last_meeting"] == 120
    assert contracted["open_actions"] == 1
    assert contracted["overdue_actions"] == 1
    assert contracted["open_concerns"] == 0
    assert contracted["median_days_to_acknowledge"] is None
    assert contracted["no_meeting_alert"] is True

    network = results["Network in A"]
    assert network["provider"]["kind"] == "provider_network"
    assert network["last_meeting_on"] is None
    assert network["days_since_last_meeting"] is None
    assert network["no_meeting_alert"] is True


def test_most_in_need_of_attention_comes_first(client_for, scenario):
    names = [r["provider"]["name"] for r in rows(client_for("manager_a"))]
    # Alerting first; among them the one with an overdue action; never met before 120 days.
    assert names == ["Contracted clinic", "Network in A", "Provider in A"]


def test_default_alert_is_90_days(client_for, scenario):
    RelationshipSettings.objects.all().delete()
    results = by_provider(rows(client_for("manager_a")))
    assert results["Provider in A"]["alert_after_days"] == 90
    assert results["Contracted clinic"]["no_meeting_alert"] is True


def test_alert_starts_on_the_nth_day(client_for, scenario):
    RelationshipSettings.objects.filter(purchaser=scenario.purchaser_a).update(
        no_meeting_alert_days=30
    )
    assert by_provider(rows(client_for("manager_a")))["Provider in A"]["no_meeting_alert"] is True
    RelationshipSettings.objects.filter(purchaser=scenario.purchaser_a).update(
        no_meeting_alert_days=31
    )
    assert by_provider(rows(client_for("manager_a")))["Provider in A"]["no_meeting_alert"] is False


def test_filters_by_alert_purchaser_and_provider(client_for, scenario):
    client = client_for("manager_a")
    assert {r["provider"]["name"] for r in rows(client, alert="true")} == {
        "Contracted clinic",
        "Network in A",
    }
    assert [r["provider"]["name"] for r in rows(client, alert="false")] == ["Provider in A"]
    assert [r["provider"]["name"] for r in rows(client, provider=scenario.network.pk)] == [
        "Network in A"
    ]
    assert rows(client, purchaser=scenario.purchaser_b.pk) == []


def test_bad_filter_values_are_400(client_for, scenario):
    client = client_for("manager_a")
    assert client.get("/api/v1/relationships/", {"alert": "maybe"}).status_code == 400
    assert client.get("/api/v1/relationships/", {"provider": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (
            "manager_a",
            {
                ("Region A", "Provider in A"),
                ("Region A", "Contracted clinic"),
                ("Region A", "Network in A"),
            },
        ),
        (
            "officer_a",
            {
                ("Region A", "Provider in A"),
                ("Region A", "Contracted clinic"),
                ("Region A", "Network in A"),
            },
        ),
        (
            "politician_a",
            {
                ("Region A", "Provider in A"),
                ("Region A", "Contracted clinic"),
                ("Region A", "Network in A"),
            },
        ),
        ("manager_b", {("Region B", "Provider outside A")}),
        ("provider_in_a", {("Region A", "Provider in A")}),
        ("provider_outside", {("Region B", "Provider outside A")}),
        ("network_rep", {("Region A", "Network in A")}),
        # A member of the network does not read the network's relationships.
        ("network_member", set()),
    ],
)
def test_who_reads_which_relationships(client_for, scenario, actor, expected):
    found = {(r["purchaser"]["name"], r["provider"]["name"]) for r in rows(client_for(actor))}
    assert found == expected


def test_provider_reads_its_own_figures(client_for, scenario):
    (row,) = rows(client_for("provider_in_a"))
    assert row["open_concerns"] == 2
    assert row["days_since_last_meeting"] == 30


def test_anonymous_is_401(api, scenario):
    assert api.get("/api/v1/relationships/").status_code == 401


def test_present_only_in_an_older_revision_does_not_count(client_for, scenario):
    # Correct the 30-day meeting: provider absent after all; no earlier meeting remains.
    thirty = Meeting.objects.get(status=Status.MINUTES_APPROVED)
    AttendanceRevisionFactory(meeting=thirty, number=2, absent=[scenario.provider_in_a])
    row = by_provider(rows(client_for("manager_a")))["Provider in A"]
    assert row["days_since_last_meeting"] is None
    assert row["no_meeting_alert"] is True
    assert AttendanceEntry.objects.filter(revision__meeting=thirty).count() == 2


# --- query count ------------------------------------------------------------------------


@pytest.fixture
def crowded(world):
    providers = ProviderFactory.create_batch(120)
    ProgrammeFactory(purchaser=world.purchaser_a, participants=providers)
    arena = ArenaFactory(purchaser=world.purchaser_a)
    for index, provider in enumerate(providers[:30]):
        meeting = held(arena, index + 1)
        AttendanceRevisionFactory(meeting=meeting, present=[provider])
        ActionItemFactory(meeting=meeting, owner_organisation=provider, due_date=day(-1))
        ConcernFactory(purchaser=world.purchaser_a, raised_by=provider)
    return world


@pytest.mark.parametrize("actor", ["manager_a", "politician_a", "provider_in_a"])
def test_list_queries_do_not_grow_with_the_page_size(client_for, crowded, actor):
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        policies.forget_standing(crowded.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/relationships/", {"page_size": size})
        assert response.status_code == 200
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= 10
    if actor == "manager_a":
        assert response.json()["count"] == 122
        assert len(response.json()["results"]) == 100
