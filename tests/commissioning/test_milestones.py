"""Milestones: who may do what to them, waivers with reasons, meeting them, overdue, and
due dates that follow the target decision date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning import policies
from commissioning.errors import Conflict
from commissioning.models import Event, Milestone, MilestoneEvidence
from commissioning.services import milestones
from commissioning.services.milestones import require_gates_passed
from commissioning.services.programmes import update_programme
from dialogue.models import Meeting
from tests.commissioning.milestone_factories import (
    ContractFactory,
    ContractPartyFactory,
    MilestoneEvidenceFactory,
    MilestoneFactory,
)
from tests.factories import ProgrammeFactory

TODAY = datetime.date.today()
Status = Milestone.Status

ACTORS = [
    "manager_a",
    "officer_a",
    "manager_b",
    "provider_in_a",
    "provider_outside",
    "network_rep",
    "network_member",
    "politician_a",
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
# Who sees programme A (and so its milestones): everyone but B's people.
SEES_A = {
    "manager_a",
    "officer_a",
    "provider_in_a",
    "network_rep",
    "network_member",
    "politician_a",
}
STAFF_A = {"manager_a", "officer_a"}


def post(client_for, world, actor, path, data=None):
    client = client_for(actor)
    headers = {}
    if actor is not None:
        headers["HTTP_X_ACTING_FOR"] = str(getattr(world, ACTING_FOR[actor]).id)
    return client.post(path, data or {}, format="json", **headers)


def patch(client_for, world, actor, path, data):
    headers = {}
    if actor is not None:
        headers["HTTP_X_ACTING_FOR"] = str(getattr(world, ACTING_FOR[actor]).id)
    return client_for(actor).patch(path, data, format="json", **headers)


def expected_write_status(actor, allowed, success):
    if actor in allowed:
        return success
    # Only purchaser staff write milestones: anyone else is refused for their role, before
    # the milestone is looked up; staff of another purchaser do not find it.
    if actor in SEES_A or not actor.startswith(("manager", "officer")):
        return 403
    return 404


@pytest.fixture
def milestone(world):
    return MilestoneFactory(programme=world.programme_a, title="Needs dialogue", gating=True)


# --- the access table -------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_signed_in_reads_the_templates(client_for, world, actor):
    assert client_for(actor).get("/api/v1/milestone-templates/").status_code == 200


@pytest.mark.parametrize("actor", ACTORS)
def test_milestone_list_shows_exactly_what_the_policy_allows(client_for, world, actor):
    MilestoneFactory(programme=world.programme_a, title="A's milestone")
    MilestoneFactory(programme=world.programme_b, title="B's milestone")
    contract = ContractFactory(programme=world.programme_a)
    ContractPartyFactory(contract=contract, organisation=world.provider_in_a)
    MilestoneFactory(programme=world.programme_a, contract=contract, title="A's contract")
    expected = {
        "manager_a": {"A's milestone", "A's contract"},
        "officer_a": {"A's milestone", "A's contract"},
        "politician_a": {"A's milestone", "A's contract"},
        "provider_in_a": {"A's milestone", "A's contract"},
        # The network takes part in the programme but is no party to the contract.
        "network_rep": {"A's milestone"},
        "network_member": {"A's milestone"},
        "manager_b": {"B's milestone"},
        "provider_outside": {"B's milestone"},
    }[actor]
    response = client_for(actor).get("/api/v1/milestones/")
    assert response.status_code == 200
    assert {m["title"] for m in response.json()["results"]} == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_milestone_detail_answers_404_when_not_visible(client_for, world, milestone, actor):
    response = client_for(actor).get(f"/api/v1/milestones/{milestone.pk}/")
    assert response.status_code == (200 if actor in SEES_A else 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_purchaser_staff_create_milestones(client_for, world, actor):
    response = post(
        client_for,
        world,
        actor,
        "/api/v1/milestones/",
        {"programme": world.programme_a.pk, "title": "Provider council", "kind": "engagement"},
    )
    expected = {expected_write_status(actor, STAFF_A, 201)}
    if expected == {404}:
        # The object is named in the body, and B's manager cannot see it: refused on that field
        # as a missing id (400, tests/authorization/test_hidden_ids.py). A provider is refused
        # first for what it is (403): who may write is decided before the body.
        expected = {400} if actor == "manager_b" else {403}
    assert response.status_code in expected, response.json()
    created = Milestone.objects.filter(title="Provider council")
    assert created.exists() == (actor in STAFF_A)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_purchaser_staff_edit_milestones(client_for, world, milestone, actor):
    response = patch(
        client_for, world, actor, f"/api/v1/milestones/{milestone.pk}/", {"title": "Renamed"}
    )
    assert response.status_code == expected_write_status(actor, STAFF_A, 200)
    milestone.refresh_from_db()
    assert (milestone.title == "Renamed") == (actor in STAFF_A)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_a_manager_of_the_purchaser_waives(client_for, world, milestone, actor):
    response = post(
        client_for,
        world,
        actor,
        f"/api/v1/milestones/{milestone.pk}/waive/",
        {"reason": "Held as part of the provider council instead."},
    )
    assert response.status_code == expected_write_status(actor, {"manager_a"}, 200)
    milestone.refresh_from_db()
    assert (milestone.status == Status.WAIVED) == (actor == "manager_a")


@pytest.mark.parametrize("actor", ACTORS)
def test_only_purchaser_staff_mark_milestones_met(client_for, world, milestone, actor):
    response = post(client_for, world, actor, f"/api/v1/milestones/{milestone.pk}/met/")
    assert response.status_code == expected_write_status(actor, STAFF_A, 200)
    milestone.refresh_from_db()
    assert (milestone.status == Status.MET) == (actor in STAFF_A)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_purchaser_staff_add_evidence(client_for, world, milestone, actor):
    response = post(
        client_for,
        world,
        actor,
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {"kind": "link", "title": "Minutes", "url": "https://example.org/minutes"},
    )
    assert response.status_code == expected_write_status(actor, STAFF_A, 201)
    assert milestone.evidence.exists() == (actor in STAFF_A)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_purchaser_staff_apply_templates(client_for, world, actor):
    response = post(
        client_for, world, actor, f"/api/v1/programmes/{world.programme_a.pk}/apply-template/"
    )
    assert response.status_code == expected_write_status(actor, STAFF_A, 201)
    assert world.programme_a.milestones.exists() == (actor in STAFF_A)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/milestone-templates/"),
        ("get", "/api/v1/milestones/"),
        ("get", "/api/v1/milestones/{id}/"),
        ("post", "/api/v1/milestones/"),
        ("patch", "/api/v1/milestones/{id}/"),
        ("post", "/api/v1/milestones/{id}/waive/"),
        ("post", "/api/v1/milestones/{id}/met/"),
        ("post", "/api/v1/milestones/{id}/evidence/"),
        ("post", "/api/v1/programmes/{programme}/apply-template/"),
        ("get", "/api/v1/programmes/{programme}/ocds/"),
    ],
)
def test_anonymous_requests_are_refused_with_401(client_for, world, milestone, method, path):
    url = path.format(id=milestone.pk, programme=world.programme_a.pk)
    response = getattr(client_for(None), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    milestone.refresh_from_db()
    assert milestone.status == Status.PLANNED


# --- waiving ----------------------------------------------------------------------------


def test_a_manager_waives_with_a_reason_recorded_in_an_event(client_for, world, milestone):
    response = post(
        client_for,
        world,
        "manager_a",
        f"/api/v1/milestones/{milestone.pk}/waive/",
        {"reason": "  The needs dialogue was held in the provider council.  "},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "waived"
    milestone.refresh_from_db()
    assert milestone.waiver_reason == "The needs dialogue was held in the provider council."
    assert milestone.waived_by == world.people["manager_a"]
    event = Event.objects.get(verb="milestone.waived")
    assert event.subject_id == str(milestone.pk)
    assert event.purchaser == world.purchaser_a
    assert event.actor == world.people["manager_a"]
    assert event.after["reason"] == milestone.waiver_reason
    assert event.before["status"] == "planned"


def test_a_waived_gating_milestone_no_longer_blocks_the_decision(world, milestone):
    with pytest.raises(Conflict, match="gating milestone"):
        require_gates_passed(programme=world.programme_a, decision="Finalising")
    milestones.waive(
        actor=world.people["manager_a"],
        acting_for=world.purchaser_a,
        milestone=milestone,
        reason="Dialogue held elsewhere.",
    )
    require_gates_passed(programme=world.programme_a, decision="Finalising")


def test_an_officer_cannot_waive_even_with_a_reason(client_for, world, milestone):
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/waive/",
        {"reason": "We are in a hurry."},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_manager"
    milestone.refresh_from_db()
    assert (milestone.status, milestone.waiver_reason) == (Status.PLANNED, "")
    assert not Event.objects.filter(verb="milestone.waived").exists()


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   \n\t "}])
def test_a_waiver_without_a_written_reason_is_refused(client_for, world, milestone, body):
    response = post(
        client_for, world, "manager_a", f"/api/v1/milestones/{milestone.pk}/waive/", body
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "waiver_reason_missing"
    assert "reason" in error["fields"]
    milestone.refresh_from_db()
    assert milestone.status == Status.PLANNED
    assert not Event.objects.filter(verb="milestone.waived").exists()


def test_a_met_milestone_cannot_be_waived(client_for, world, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.MET, met_on=TODAY)
    response = post(
        client_for,
        world,
        "manager_a",
        f"/api/v1/milestones/{milestone.pk}/waive/",
        {"reason": "No longer needed."},
    )
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.status == Status.MET


def test_a_missed_milestone_can_still_be_waived(client_for, world, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.MISSED)
    response = post(
        client_for,
        world,
        "manager_a",
        f"/api/v1/milestones/{milestone.pk}/waive/",
        {"reason": "Overtaken by the national guidance."},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "waived"


# --- meeting a milestone ----------------------------------------------------------------


def test_marking_met_records_the_day_and_one_event(client_for, world, milestone):
    yesterday = TODAY - datetime.timedelta(days=1)
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/met/",
        {"met_on": yesterday.isoformat()},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "met"
    assert response.json()["met_on"] == yesterday.isoformat()
    event = Event.objects.get(verb="milestone.met")
    assert event.purchaser == world.purchaser_a
    assert event.after["met_on"] == yesterday.isoformat()


def test_marking_met_without_a_date_means_today(client_for, world, milestone):
    response = post(client_for, world, "officer_a", f"/api/v1/milestones/{milestone.pk}/met/")
    assert response.json()["met_on"] == TODAY.isoformat()


def test_a_milestone_cannot_be_met_in_the_future(client_for, world, milestone):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/met/",
        {"met_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "met_on" in response.json()["error"]["fields"]
    milestone.refresh_from_db()
    assert milestone.status == Status.PLANNED


def test_a_waived_milestone_cannot_be_marked_met(client_for, world, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.WAIVED, waiver_reason="x")
    response = post(client_for, world, "officer_a", f"/api/v1/milestones/{milestone.pk}/met/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "milestone_closed"


# --- editing ----------------------------------------------------------------------------


def test_moving_a_milestone_to_a_relative_date_drops_the_absolute_one(client_for, world, milestone):
    world.programme_a.target_decision_date = datetime.date(2027, 6, 1)
    world.programme_a.save()
    response = patch(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/",
        {"due_offset_days": -30},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["due_date"], body["due_offset_days"]) == (None, -30)
    assert body["effective_due_date"] == "2027-05-02"
    event = Event.objects.get(verb="milestone.updated")
    assert event.before["due_date"] is not None
    assert event.after["due_offset_days"] == -30


def test_giving_both_an_absolute_and_a_relative_due_date_is_refused(client_for, world):
    response = post(
        client_for,
        world,
        "officer_a",
        "/api/v1/milestones/",
        {
            "programme": world.programme_a.pk,
            "title": "Both",
            "kind": "engagement",
            "due_date": "2027-01-01",
            "due_offset_days": -10,
        },
    )
    assert response.status_code == 400
    assert not Milestone.objects.filter(title="Both").exists()


def test_a_gating_milestone_cannot_be_made_non_gating_by_editing(client_for, world, milestone):
    response = patch(
        client_for, world, "manager_a", f"/api/v1/milestones/{milestone.pk}/", {"gating": False}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "gate_cannot_be_removed"
    milestone.refresh_from_db()
    assert milestone.gating is True


def test_a_met_milestone_cannot_be_edited(client_for, world, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(status=Status.MET, met_on=TODAY)
    response = patch(
        client_for, world, "officer_a", f"/api/v1/milestones/{milestone.pk}/", {"title": "New"}
    )
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.title == "Needs dialogue"


def test_unknown_fields_in_an_edit_are_refused(client_for, world, milestone):
    response = patch(
        client_for, world, "officer_a", f"/api/v1/milestones/{milestone.pk}/", {"status": "met"}
    )
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    milestone.refresh_from_db()
    assert milestone.status == Status.PLANNED


def test_a_milestone_for_a_contract_of_another_programme_is_refused(client_for, world):
    contract = ContractFactory(programme=world.programme_a)
    other = ProgrammeFactory(purchaser=world.purchaser_a)
    response = post(
        client_for,
        world,
        "officer_a",
        "/api/v1/milestones/",
        {
            "programme": other.pk,
            "contract": contract.pk,
            "title": "Wrong",
            "kind": "approval",
        },
    )
    assert response.status_code == 400
    assert "contract" in response.json()["error"]["fields"]


def test_a_milestone_for_a_contract_lands_on_the_contract(client_for, world):
    contract = ContractFactory(programme=world.programme_a)
    response = post(
        client_for,
        world,
        "officer_a",
        "/api/v1/milestones/",
        {
            "programme": world.programme_a.pk,
            "contract": contract.pk,
            "title": "Clinical governance agreed",
            "kind": "approval",
            "gating": True,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["contract"] == contract.pk
    event = Event.objects.get(verb="milestone.created")
    assert event.purchaser == world.purchaser_a


# --- evidence ---------------------------------------------------------------------------


def test_evidence_link_is_listed_with_the_milestone(client_for, world, milestone):
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {"kind": "document", "title": "Needs analysis 2027"},
    )
    assert response.status_code == 201, response.json()
    detail = client_for("provider_in_a").get(f"/api/v1/milestones/{milestone.pk}/").json()
    assert [e["title"] for e in detail["evidence"]] == ["Needs analysis 2027"]
    assert Event.objects.get(verb="milestone.evidence_added").purchaser == world.purchaser_a


def test_link_evidence_without_an_address_is_refused(client_for, world, milestone):
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {"kind": "link", "title": "Minutes"},
    )
    assert response.status_code == 400
    assert "url" in response.json()["error"]["fields"]
    assert not MilestoneEvidence.objects.exists()


def test_evidence_naming_a_subject_that_does_not_fit_its_kind_is_refused(
    client_for, world, milestone
):
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {
            "kind": "meeting",
            "title": "Provider council",
            "subject_type": "commissioning.programme",
            "subject_id": str(world.programme_b.pk),
        },
    )
    assert response.status_code == 400
    assert "subject_type" in response.json()["error"]["fields"]
    assert not MilestoneEvidence.objects.exists()


# --- overdue and relative dates ---------------------------------------------------------


def test_past_due_planned_milestones_show_as_overdue(client_for, world):
    yesterday = TODAY - datetime.timedelta(days=1)
    late = MilestoneFactory(programme=world.programme_a, title="Late", due_date=yesterday)
    MilestoneFactory(
        programme=world.programme_a,
        title="Met late",
        due_date=yesterday,
        status=Status.MET,
        met_on=yesterday,
    )
    MilestoneFactory(programme=world.programme_a, title="Ahead")
    MilestoneFactory(programme=world.programme_a, title="Undated", due_date=None)
    client = client_for("officer_a")
    listed = {
        m["title"]: m["is_overdue"] for m in client.get("/api/v1/milestones/").json()["results"]
    }
    assert listed == {"Late": True, "Met late": False, "Ahead": False, "Undated": False}
    overdue = client.get("/api/v1/milestones/", {"overdue": "true"}).json()["results"]
    assert [m["id"] for m in overdue] == [late.pk]
    not_overdue = client.get("/api/v1/milestones/", {"overdue": "false"}).json()["results"]
    assert {m["title"] for m in not_overdue} == {"Met late", "Ahead", "Undated"}


def test_relative_milestones_are_overdue_by_the_target_decision_date(client_for, world):
    programme = world.programme_a
    programme.target_decision_date = TODAY + datetime.timedelta(days=10)
    programme.save()
    relative = MilestoneFactory(
        programme=programme, title="Relative", due_date=None, due_offset_days=-30
    )
    client = client_for("officer_a")
    overdue = client.get("/api/v1/milestones/", {"overdue": "true"}).json()["results"]
    assert [m["id"] for m in overdue] == [relative.pk]
    assert overdue[0]["is_overdue"] is True


def test_a_relative_due_date_moves_with_the_target_decision_date(client_for, world):
    programme = world.programme_a
    programme.target_decision_date = datetime.date(2027, 6, 1)
    programme.save()
    relative = MilestoneFactory(programme=programme, due_date=None, due_offset_days=-60)
    absolute = MilestoneFactory(programme=programme, due_date=datetime.date(2027, 3, 1))
    update_programme(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        programme=programme,
        target_decision_date=datetime.date(2027, 9, 1),
    )
    client = client_for("officer_a")
    moved = client.get(f"/api/v1/milestones/{relative.pk}/").json()
    kept = client.get(f"/api/v1/milestones/{absolute.pk}/").json()
    assert moved["effective_due_date"] == "2027-07-03"
    assert kept["effective_due_date"] == "2027-03-01"


def test_list_filters_by_programme_status_and_gating(client_for, world, milestone):
    MilestoneFactory(programme=world.programme_a, title="Not gating")
    client = client_for("officer_a")
    gating = client.get("/api/v1/milestones/", {"gating": "true"}).json()["results"]
    assert [m["id"] for m in gating] == [milestone.pk]
    by_programme = client.get("/api/v1/milestones/", {"programme": world.programme_a.pk})
    assert len(by_programme.json()["results"]) == 2
    # Another purchaser's programme is refused as a missing one, not answered with nothing.
    hidden = client.get("/api/v1/milestones/", {"programme": world.programme_b.pk})
    assert hidden.status_code == 400
    assert list(hidden.json()["error"]["fields"]) == ["programme"]
    assert client.get("/api/v1/milestones/", {"status": "met"}).json()["results"] == []


# --- query counts -----------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["manager_a", "provider_in_a"])
def test_milestone_list_queries_do_not_grow_with_the_page_size(client_for, world, actor):
    contract = ContractFactory(programme=world.programme_a)
    ContractPartyFactory(contract=contract, organisation=world.provider_in_a)
    for n in range(120):
        milestone = MilestoneFactory(
            programme=world.programme_a,
            contract=contract if n % 2 else None,
            due_date=None,
            due_offset_days=-n,
        )
        MilestoneEvidenceFactory.create_batch(2, milestone=milestone)
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        policies.forget_standing(world.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/milestones/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= 10


def test_evidence_naming_a_meeting_that_does_not_exist_is_refused(client_for, world, milestone):
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {
            "kind": "meeting",
            "title": "Provider council",
            "subject_type": "dialogue.meeting",
            "subject_id": "not-a-number",
        },
    )
    assert response.status_code == 400
    assert {"subject_type", "subject_id"} & set(response.json()["error"]["fields"])
    assert not MilestoneEvidence.objects.exists()


def _meeting(purchaser, programme):
    starts = timezone.now() - datetime.timedelta(days=3)
    return Meeting.objects.create(
        purchaser=purchaser,
        programme=programme,
        title="Provider council",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def test_evidence_links_a_meeting_of_the_purchaser(client_for, world, milestone):
    meeting = _meeting(world.purchaser_a, world.programme_a)
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {
            "kind": "meeting",
            "title": "Provider council",
            "subject_type": "dialogue.meeting",
            "subject_id": str(meeting.pk),
        },
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["subject_type"], response.json()["subject_id"]) == (
        "dialogue.meeting",
        str(meeting.pk),
    )


def test_evidence_naming_another_purchasers_meeting_is_refused(client_for, world, milestone):
    meeting = _meeting(world.purchaser_b, world.programme_b)
    response = post(
        client_for,
        world,
        "officer_a",
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        {
            "kind": "meeting",
            "title": "Their council",
            "subject_type": "dialogue.meeting",
            "subject_id": str(meeting.pk),
        },
    )
    assert response.status_code == 400
    assert "subject_id" in response.json()["error"]["fields"]
    assert not MilestoneEvidence.objects.exists()
