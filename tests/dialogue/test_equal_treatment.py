"""Equal treatment: the providers of a programme or an arena left out of its meetings, by
ownership, with the organisations named."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Organisation, Participation
from dialogue.models import Meeting
from tests.dialogue.factories import ArenaFactory, InvitationFactory, MeetingFactory
from tests.dialogue.relationship_factories import AttendanceRevisionFactory
from tests.factories import ProviderFactory

Ownership = Organisation.Ownership


@pytest.fixture
def programme_scenario(world):
    """Programme A: Provider in A (private, invited, absent), a public provider (invited,
    present), a non-profit (invited, never recorded) and a private provider only ever
    invited to a cancelled meeting; the network takes part but is not counted."""
    public = ProviderFactory(name="Public clinic", ownership=Ownership.PUBLIC)
    non_profit = ProviderFactory(name="Stiftelsen Vård", ownership=Ownership.NON_PROFIT)
    left_out = ProviderFactory(name="Forgotten private clinic", ownership=Ownership.PRIVATE)
    for provider in (public, non_profit, left_out):
        Participation.objects.create(programme=world.programme_a, organisation=provider)
    meeting = MeetingFactory(
        arena=None,
        programme=world.programme_a,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        status=Meeting.Status.HELD,
    )
    for provider in (public, world.provider_in_a, non_profit):
        InvitationFactory(meeting=meeting, organisation=provider)
    AttendanceRevisionFactory(meeting=meeting, present=[public], absent=[world.provider_in_a])
    cancelled = MeetingFactory(
        arena=None, programme=world.programme_a, status=Meeting.Status.CANCELLED
    )
    InvitationFactory(meeting=cancelled, organisation=left_out)
    # Another programme's meeting does not count.
    elsewhere = MeetingFactory(arena=None, programme=world.programme_b)
    InvitationFactory(meeting=elsewhere, organisation=left_out)
    world.public, world.non_profit, world.left_out = public, non_profit, left_out
    return world


def report(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.json()
    return response.json()


def groups(body):
    return {g["ownership"]: g for g in body["by_ownership"]}


def test_programme_report_names_the_left_out_private_provider(client_for, programme_scenario):
    world = programme_scenario
    body = report(
        client_for("officer_a"), f"/api/v1/programmes/{world.programme_a.pk}/equal-treatment/"
    )
    assert body["subject"] == "programme"
    assert body["meetings_counted"] == 1
    assert body["providers"] == 4
    private = groups(body)["private"]
    assert private["providers"] == 2
    assert private["not_invited"] == {
        "count": 1,
        "rate": 0.5,
        "organisations": [{"id": world.left_out.pk, "name": "Forgotten private clinic"}],
    }
    assert private["never_attended"]["count"] == 2
    assert private["never_attended"]["rate"] == 1.0
    assert [o["name"] for o in private["never_attended"]["organisations"]] == [
        "Forgotten private clinic",
        "Provider in A",
    ]


def test_programme_report_counts_every_ownership_group(client_for, programme_scenario):
    world = programme_scenario
    body = report(
        client_for("manager_a"), f"/api/v1/programmes/{world.programme_a.pk}/equal-treatment/"
    )
    by = groups(body)
    assert list(by) == ["public", "private", "non_profit"]
    assert by["public"]["providers"] == 1
    assert by["public"]["not_invited"] == {"count": 0, "rate": 0.0, "organisations": []}
    assert by["public"]["never_attended"]["count"] == 0
    assert by["non_profit"]["not_invited"]["count"] == 0
    assert by["non_profit"]["never_attended"]["organisations"] == [
        {"id": world.non_profit.pk, "name": "Stiftelsen Vård"}
    ]
    assert body["not_invited"]["count"] == 1
    assert body["not_invited"]["rate"] == 0.25
    assert body["never_attended"]["count"] == 3
    assert body["never_attended"]["rate"] == 0.75


def test_consultations_are_named_as_not_tracked_rather_than_a_figure(
    client_for, programme_scenario
):
    body = report(
        client_for("manager_a"),
        f"/api/v1/programmes/{programme_scenario.programme_a.pk}/equal-treatment/",
    )
    assert body["not_invited_to_consultations"] == {
        "tracked": False,
        "note": "consultations are not tracked yet",
    }


def test_empty_group_has_no_rate(client_for, world):
    body = report(
        client_for("manager_a"), f"/api/v1/programmes/{world.programme_a.pk}/equal-treatment/"
    )
    assert groups(body)["public"] == {
        "ownership": "public",
        "label": "Public",
        "providers": 0,
        "not_invited": {"count": 0, "rate": None, "organisations": []},
        "never_attended": {"count": 0, "rate": None, "organisations": []},
    }
    # No meetings at all: the one private provider was not invited.
    assert groups(body)["private"]["not_invited"]["count"] == 1


def test_attendance_counts_from_the_current_revision(client_for, programme_scenario):
    world = programme_scenario
    meeting = Meeting.objects.get(status=Meeting.Status.HELD)
    AttendanceRevisionFactory(meeting=meeting, number=2, absent=[world.public])
    body = report(
        client_for("manager_a"), f"/api/v1/programmes/{world.programme_a.pk}/equal-treatment/"
    )
    assert groups(body)["public"]["never_attended"]["count"] == 1


def test_arena_report_over_its_provider_members(client_for, world):
    public = ProviderFactory(name="Public clinic", ownership=Ownership.PUBLIC)
    private = ProviderFactory(name="Private clinic", ownership=Ownership.PRIVATE)
    arena = ArenaFactory(
        purchaser=world.purchaser_a, members=[public, private, world.network, world.purchaser_a]
    )
    meeting = MeetingFactory(arena=arena, status=Meeting.Status.MINUTES_APPROVED)
    InvitationFactory(meeting=meeting, organisation=public)
    AttendanceRevisionFactory(meeting=meeting, present=[public])
    body = report(client_for("politician_a"), f"/api/v1/arenas/{arena.pk}/equal-treatment/")
    assert body["subject"] == "arena"
    assert body["providers"] == 2
    by = groups(body)
    assert by["private"]["not_invited"]["organisations"] == [
        {"id": private.pk, "name": "Private clinic"}
    ]
    assert by["private"]["never_attended"]["count"] == 1
    assert by["public"]["not_invited"]["count"] == 0
    assert by["public"]["never_attended"]["count"] == 0


@pytest.mark.parametrize(
    "actor",
    ["provider_in_a", "network_rep", "network_member", "manager_b", "provider_outside"],
)
def test_providers_and_other_purchasers_get_404(client_for, programme_scenario, actor):
    response = client_for(actor).get(
        f"/api/v1/programmes/{programme_scenario.programme_a.pk}/equal-treatment/"
    )
    assert response.status_code == 404
