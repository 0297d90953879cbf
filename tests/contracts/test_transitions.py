"""The status machine of a contract: every legal move succeeds with one Event, every illegal
one answers 409 naming the statuses it may move to, and changes nothing."""

import pytest

from commissioning.models import Event, Milestone
from contracts.models import Contract, ContractVersion
from tests.contracts import contract_fixtures
from tests.contracts.factories import GatingMilestoneFactory

acting = contract_fixtures.acting
make_contract = contract_fixtures.make_contract

# Written out here, not imported from the services, so that the test states the rule.
ALLOWED = {
    "draft": ["in_dialogue"],
    "in_dialogue": ["negotiation"],
    "negotiation": ["finalised"],
    "finalised": ["negotiation", "signed"],
    "signed": ["active", "terminated"],
    "active": ["ended", "terminated"],
    "ended": [],
    "terminated": [],
}
ENDPOINTS = {
    "start-dialogue": "in_dialogue",
    "start-negotiation": "negotiation",
    "finalise": "finalised",
    "reopen-negotiation": "negotiation",
    "sign": "signed",
    "activate": "active",
    "end": "ended",
    "terminate": "terminated",
}
# A move that lands in a status is legal only from the statuses whose table lists it, and
# "reopen-negotiation" only from finalised, "start-negotiation" only from in dialogue.
LEGAL = {
    ("draft", "start-dialogue"),
    ("in_dialogue", "start-negotiation"),
    ("negotiation", "finalise"),
    ("finalised", "reopen-negotiation"),
    ("finalised", "sign"),
    ("signed", "activate"),
    ("signed", "terminate"),
    ("active", "end"),
    ("active", "terminate"),
}
BODY = {"terminate": {"reason": "The provider lost its licence."}}
CASES = [(status, endpoint) for status in ALLOWED for endpoint in ENDPOINTS]


def post(client, contract, endpoint, acting, actor="manager_a", body=None):
    return client.post(
        f"/api/v1/contracts/{contract.pk}/{endpoint}/",
        body if body is not None else BODY.get(endpoint, {}),
        format="json",
        **acting(actor),
    )


def contract_events(contract):
    return Event.objects.filter(subject_type__model="contract", subject_id=str(contract.pk))


@pytest.mark.parametrize(("status", "endpoint"), [c for c in CASES if c in LEGAL])
def test_legal_transition_moves_the_contract_and_records_one_event(
    client_for, make_contract, acting, status, endpoint
):
    contract = make_contract(status)
    response = post(client_for("manager_a"), contract, endpoint, acting)
    assert response.status_code == 200, response.json()
    contract.refresh_from_db()
    assert contract.status == ENDPOINTS[endpoint]
    assert response.json()["status"] == ENDPOINTS[endpoint]
    assert response.json()["allowed_next_statuses"] == ALLOWED[ENDPOINTS[endpoint]]
    events = list(contract_events(contract))
    assert len(events) == 1
    assert events[0].before["status"] == status
    assert events[0].after["status"] == ENDPOINTS[endpoint]
    assert events[0].purchaser_id == contract.purchaser_id


@pytest.mark.parametrize(("status", "endpoint"), [c for c in CASES if c not in LEGAL])
def test_illegal_transition_answers_409_with_the_allowed_next_statuses(
    client_for, make_contract, acting, status, endpoint
):
    contract = make_contract(status)
    response = post(client_for("manager_a"), contract, endpoint, acting)
    assert response.status_code == 409, response.json()
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"]["status"] == status
    assert error["details"]["allowed"] == ALLOWED[status]
    assert set(error["details"]["allowed_moves"]) == {
        e.replace("-", "_") for (s, e) in LEGAL if s == status
    }
    for allowed in ALLOWED[status]:
        assert str(Contract.Status(allowed).label) in error["message"]
    if not ALLOWED[status]:
        assert "closed" in error["message"]
    contract.refresh_from_db()
    assert contract.status == status
    assert not contract_events(contract).exists()


@pytest.mark.parametrize(
    ("status", "endpoint"),
    [
        ("negotiation", "finalise"),
        ("finalised", "sign"),
        ("active", "terminate"),
        ("finalised", "reopen-negotiation"),
    ],
)
def test_an_officer_cannot_make_a_managers_move(
    client_for, make_contract, acting, status, endpoint
):
    contract = make_contract(status)
    response = post(client_for("officer_a"), contract, endpoint, acting, actor="officer_a")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_manager"
    contract.refresh_from_db()
    assert contract.status == status


@pytest.mark.parametrize(
    ("status", "endpoint"),
    [
        ("draft", "start-dialogue"),
        ("in_dialogue", "start-negotiation"),
        ("signed", "activate"),
        ("active", "end"),
    ],
)
def test_an_officer_makes_the_everyday_moves(client_for, make_contract, acting, status, endpoint):
    contract = make_contract(status)
    response = post(client_for("officer_a"), contract, endpoint, acting, actor="officer_a")
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.status == ENDPOINTS[endpoint]


def test_permission_is_checked_before_the_state(client_for, make_contract, acting):
    contract = make_contract("ended")
    response = post(client_for("politician_a"), contract, "start-dialogue", acting, "politician_a")
    assert response.status_code == 403


def test_signing_seals_every_version_and_sets_signed_at(client_for, make_contract, acting):
    contract = make_contract("finalised")
    contract.versions.create(
        number=2, title="v2", kind="service", change_summary="More", period_start="2027-02-01"
    )
    response = post(client_for("manager_a"), contract, "sign", acting)
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.signed_at is not None
    assert response.json()["signed_at"] is not None
    assert set(
        ContractVersion.objects.filter(contract=contract).values_list("sealed_at", flat=True)
    ) == {contract.signed_at}


def test_signing_without_a_provider_party_is_refused(client_for, make_contract, acting):
    contract = make_contract("finalised", lead=False)
    response = post(client_for("manager_a"), contract, "sign", acting)
    assert response.status_code == 400
    assert "provider" in response.json()["error"]["message"]
    contract.refresh_from_db()
    assert contract.status == "finalised"
    assert contract.signed_at is None
    assert not contract.versions.filter(sealed_at__isnull=False).exists()


def test_signing_without_a_period_start_is_refused(client_for, make_contract, acting):
    contract = make_contract("finalised", period_start=None)
    response = post(client_for("manager_a"), contract, "sign", acting)
    assert response.status_code == 400
    assert "period" in response.json()["error"]["message"]
    contract.refresh_from_db()
    assert contract.status == "finalised"


def test_terminating_without_a_reason_is_refused(client_for, make_contract, acting):
    contract = make_contract("active")
    response = post(client_for("manager_a"), contract, "terminate", acting, body={"reason": " "})
    assert response.status_code == 400
    contract.refresh_from_db()
    assert contract.status == "active"


def test_the_reason_for_terminating_is_kept_in_the_event(client_for, make_contract, acting):
    contract = make_contract("signed")
    post(client_for("manager_a"), contract, "terminate", acting)
    event = contract_events(contract).get(verb="contract.terminated")
    assert event.after["reason"] == "The provider lost its licence."


# --- gating ------------------------------------------------------------------------------


def test_finalising_is_refused_while_a_gating_milestone_is_open(
    client_for, make_contract, acting, world
):
    contract = make_contract("negotiation")
    milestone = GatingMilestoneFactory(programme=world.programme_a, title="Talk to providers")
    response = post(client_for("manager_a"), contract, "finalise", acting)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "gating_milestones_open"
    assert "Talk to providers" in error["message"]
    assert [m["id"] for m in error["details"]["open_milestones"]] == [milestone.id]
    contract.refresh_from_db()
    assert contract.status == "negotiation"
    assert not contract_events(contract).exists()


def test_a_missed_gating_milestone_still_blocks_finalising(
    client_for, make_contract, acting, world
):
    contract = make_contract("negotiation")
    GatingMilestoneFactory(programme=world.programme_a, status=Milestone.Status.MISSED)
    response = post(client_for("manager_a"), contract, "finalise", acting)
    assert response.status_code == 409


def test_a_gating_milestone_of_the_contract_itself_blocks_finalising(
    client_for, make_contract, acting, world
):
    contract = make_contract("negotiation")
    GatingMilestoneFactory(programme=world.programme_a, contract=contract)
    response = post(client_for("manager_a"), contract, "finalise", acting)
    assert response.status_code == 409
    assert len(response.json()["error"]["details"]["open_milestones"]) == 1


@pytest.mark.parametrize(
    "milestone",
    [
        {"status": Milestone.Status.MET},
        {"status": Milestone.Status.WAIVED, "waiver_reason": "Dialogue held in another forum."},
        {"status": Milestone.Status.PLANNED, "gating": False},
    ],
    ids=["met", "waived", "not-gating"],
)
def test_finalising_goes_ahead_when_no_gating_milestone_is_open(
    client_for, make_contract, acting, world, milestone
):
    contract = make_contract("negotiation")
    GatingMilestoneFactory(programme=world.programme_a, **milestone)
    response = post(client_for("manager_a"), contract, "finalise", acting)
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.status == "finalised"


def test_another_contracts_gating_milestone_does_not_block(
    client_for, make_contract, acting, world
):
    contract = make_contract("negotiation")
    other = make_contract("negotiation", lead=False)
    GatingMilestoneFactory(programme=world.programme_a, contract=other)
    response = post(client_for("manager_a"), contract, "finalise", acting)
    assert response.status_code == 200


def test_a_move_with_an_unknown_field_is_refused(client_for, make_contract, acting):
    contract = make_contract("active")
    response = post(client_for("manager_a"), contract, "end", acting, body={"reasn": "typo"})
    assert response.status_code == 400
    assert "reasn" in response.json()["error"]["fields"]
    contract.refresh_from_db()
    assert contract.status == "active"
