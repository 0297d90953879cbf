"""Terms as numbered versions: edited in place before signing, sealed by signing, amended
after it, and compared field by field and word by word."""

import datetime

import pytest

from commissioning.errors import Conflict
from commissioning.models import Event
from contracts.models import ContractParty, ContractVersion
from contracts.services import terms as term_services
from tests.contracts import contract_fixtures

acting = contract_fixtures.acting
make_contract = contract_fixtures.make_contract

NEW_CONTRACT = {
    "title": "Integrated respiratory service",
    "kind": "service",
    "period_start": "2027-01-01",
    "period_end": "2029-12-31",
    "value": "1500000.00",
    "currency": "SEK",
    "clinical_governance": "A joint group meets quarterly.",
}


def versions_of(contract):
    return list(
        ContractVersion.objects.filter(contract=contract)
        .order_by("number")
        .values_list("number", "title", "value", "change_summary", "is_amendment", "sealed_at")
    )


def events(verb):
    return Event.objects.filter(verb=verb)


# --- creating ----------------------------------------------------------------------------


def test_creating_a_contract_makes_version_1_with_its_parties(client_for, world, acting):
    response = client_for("officer_a").post(
        "/api/v1/contracts/",
        {
            **NEW_CONTRACT,
            "programme": world.programme_a.id,
            "parties": [
                {"organisation": world.provider_in_a.id, "role": "lead_provider"},
                {"organisation": world.network.id, "role": "subcontractor"},
            ],
        },
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["purchaser"]["id"] == world.purchaser_a.id
    assert body["current_terms"]["number"] == 1
    assert body["current_terms"]["value"] == "1500000.00"
    assert {(p["organisation"]["id"], p["role"]) for p in body["parties"]} == {
        (world.provider_in_a.id, "lead_provider"),
        (world.network.id, "subcontractor"),
    }
    event = events("contract.created").get()
    assert event.purchaser == world.purchaser_a
    assert event.after["terms"]["clinical_governance"] == "A joint group meets quarterly."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": "2026-01-01"}, "period_end"),
        ({"currency": ""}, "currency"),
        ({"currency": "kr"}, "currency"),
        ({"value": "-1.00"}, "value"),
        ({"kind": "barter"}, "kind"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_creating_a_contract_with_bad_terms_is_refused(client_for, world, acting, change, field):
    response = client_for("officer_a").post(
        "/api/v1/contracts/",
        {**NEW_CONTRACT, "programme": world.programme_a.id, **change},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not ContractVersion.objects.exists()


@pytest.mark.parametrize(
    ("parties", "problem"),
    [
        ([{"organisation": "provider_outside", "role": "provider"}], "does not take part"),
        ([{"organisation": "purchaser_a", "role": "provider"}], "Only providers"),
        (
            [
                {"organisation": "provider_in_a", "role": "lead_provider"},
                {"organisation": "network", "role": "lead_provider"},
            ],
            "already the lead provider",
        ),
    ],
    ids=["not-in-programme", "not-a-provider", "two-leads"],
)
def test_creating_a_contract_with_wrong_parties_is_refused(
    client_for, world, acting, parties, problem
):
    response = client_for("officer_a").post(
        "/api/v1/contracts/",
        {
            **NEW_CONTRACT,
            "programme": world.programme_a.id,
            "parties": [
                {**p, "organisation": getattr(world, p["organisation"]).id} for p in parties
            ],
        },
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400
    assert problem in response.json()["error"]["message"]
    assert not ContractParty.objects.exists()
    assert not ContractVersion.objects.exists()


# --- before signing ----------------------------------------------------------------------


def test_changing_terms_before_signing_edits_the_current_version_in_place(
    client_for, make_contract, acting
):
    contract = make_contract("negotiation")
    response = client_for("officer_a").patch(
        f"/api/v1/contracts/{contract.pk}/",
        {"value": "990000.00", "pathway_development": "Pathways may change by agreement."},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version_count"] == 1
    version = contract.versions.get()
    assert str(version.value) == "990000.00"
    event = events("contract.terms_edited").get()
    assert event.before["value"] == "1200000.00"
    assert event.after["value"] == "990000.00"


def test_a_new_version_before_signing_is_not_an_amendment(client_for, make_contract, acting):
    contract = make_contract("in_dialogue")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/versions/",
        {"change_summary": "After the first dialogue meeting", "notice_period_months": 3},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 2
    assert body["is_amendment"] is False
    assert body["is_sealed"] is False
    assert body["notice_period_months"] == 3
    assert body["title"] == "Integrated respiratory service"  # carried over
    assert events("contract.version_created").count() == 1


def test_a_new_version_needs_a_change_summary(client_for, make_contract, acting):
    contract = make_contract("draft")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/versions/",
        {"notice_period_months": 3},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400
    assert "change_summary" in response.json()["error"]["fields"]
    assert contract.versions.count() == 1


def test_only_the_latest_unsigned_version_is_edited(client_for, make_contract, acting):
    contract = make_contract("draft")
    contract.versions.create(number=2, title="Second", kind="service", change_summary="x")
    before = versions_of(contract)
    response = client_for("officer_a").patch(
        f"/api/v1/contracts/{contract.pk}/versions/1/",
        {"title": "Rewritten history"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_not_latest"
    assert versions_of(contract) == before


def test_the_latest_unsigned_version_is_edited_through_its_own_address(
    client_for, make_contract, acting
):
    contract = make_contract("draft")
    response = client_for("officer_a").patch(
        f"/api/v1/contracts/{contract.pk}/versions/1/",
        {"title": "Respiratory pathway"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 200
    assert contract.versions.get().title == "Respiratory pathway"


def test_finalised_terms_are_not_edited(client_for, make_contract, acting):
    contract = make_contract("finalised")
    before = versions_of(contract)
    response = client_for("manager_a").patch(
        f"/api/v1/contracts/{contract.pk}/",
        {"value": "1.00"},
        format="json",
        **acting("manager_a"),
    )
    assert response.status_code == 409
    assert "reopen negotiation" in response.json()["error"]["message"]
    assert versions_of(contract) == before


# --- signed versions are immutable -------------------------------------------------------


@pytest.mark.parametrize("status", ["signed", "active"])
def test_the_api_refuses_to_change_a_signed_version(client_for, make_contract, acting, status):
    contract = make_contract(status)
    before = versions_of(contract)
    response = client_for("manager_a").patch(
        f"/api/v1/contracts/{contract.pk}/versions/1/",
        {"value": "1.00", "change_summary": "Cheaper"},
        format="json",
        **acting("manager_a"),
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "version_sealed"
    assert "amendment" in error["message"]
    assert versions_of(contract) == before
    assert not Event.objects.exists()


def test_the_service_refuses_to_change_a_signed_version(make_contract, world):
    contract = make_contract("signed")
    version = contract.versions.get()
    before = versions_of(contract)
    with pytest.raises(Conflict) as refused:
        term_services.edit_version(
            actor=world.people["manager_a"],
            acting_for=world.purchaser_a,
            version=version,
            title="Overwritten",
        )
    assert refused.value.code == "version_sealed"
    assert versions_of(contract) == before


def test_the_model_refuses_to_save_a_sealed_version_even_past_the_service(make_contract):
    contract = make_contract("signed")
    version = contract.versions.get()
    version.title = "Overwritten"
    with pytest.raises(ValueError, match="sealed"):
        version.save()
    assert contract.versions.get().title == "Integrated respiratory service"


@pytest.mark.parametrize("how", ["patch-contract", "post-version"])
def test_a_change_after_signing_is_a_sealed_amendment_with_an_event(
    client_for, make_contract, acting, how
):
    contract = make_contract("active")
    before = versions_of(contract)
    body = {"value": "1300000.00", "change_summary": "Indexation for 2028"}
    client = client_for("officer_a")
    if how == "patch-contract":
        response = client.patch(
            f"/api/v1/contracts/{contract.pk}/", body, format="json", **acting("officer_a")
        )
        assert response.status_code == 200, response.json()
        assert response.json()["current_terms"]["number"] == 2
    else:
        response = client.post(
            f"/api/v1/contracts/{contract.pk}/versions/",
            body,
            format="json",
            **acting("officer_a"),
        )
        assert response.status_code == 201, response.json()
    amendment = contract.versions.get(number=2)
    assert amendment.is_amendment
    assert amendment.sealed_at is not None
    assert amendment.change_summary == "Indexation for 2028"
    assert str(amendment.value) == "1300000.00"
    assert amendment.clinical_governance == "A joint clinical-governance group meets quarterly."
    assert versions_of(contract)[:1] == before  # version 1 untouched
    event = events("contract.amended").get()
    assert event.before["value"] == "1200000.00"
    assert event.after["value"] == "1300000.00"
    assert event.after["number"] == 2


def test_an_amendment_needs_a_change_summary(client_for, make_contract, acting):
    contract = make_contract("signed")
    response = client_for("officer_a").patch(
        f"/api/v1/contracts/{contract.pk}/",
        {"value": "1.00"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400
    assert "change_summary" in response.json()["error"]["fields"]
    assert contract.versions.count() == 1


@pytest.mark.parametrize("status", ["ended", "terminated"])
def test_a_closed_contract_takes_no_amendment(client_for, make_contract, acting, status):
    contract = make_contract(status)
    response = client_for("manager_a").post(
        f"/api/v1/contracts/{contract.pk}/versions/",
        {"value": "1.00", "change_summary": "Late change"},
        format="json",
        **acting("manager_a"),
    )
    assert response.status_code == 409
    assert contract.versions.count() == 1


def test_an_amendment_that_changes_no_term_is_refused(client_for, make_contract, acting):
    contract = make_contract("active")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/versions/",
        {"change_summary": "Nothing really", "currency": "SEK"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nothing_to_change"
    assert contract.versions.count() == 1


def test_an_empty_change_of_terms_is_refused(client_for, make_contract, acting):
    contract = make_contract("draft")
    response = client_for("officer_a").patch(
        f"/api/v1/contracts/{contract.pk}/", {}, format="json", **acting("officer_a")
    )
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_every_change_of_terms_is_in_the_contracts_own_trail(client_for, make_contract, acting):
    contract = make_contract("draft")
    client = client_for("officer_a")
    client.patch(
        f"/api/v1/contracts/{contract.pk}/", {"title": "T2"}, format="json", **acting("officer_a")
    )
    client.post(
        f"/api/v1/contracts/{contract.pk}/versions/",
        {"change_summary": "v2", "title": "T3"},
        format="json",
        **acting("officer_a"),
    )
    trail = client_for("manager_a").get(
        "/api/v1/events/",
        {"subject_type": "contracts.contract", "subject_id": str(contract.pk)},
    )
    assert [e["verb"] for e in trail.json()["results"]] == [
        "contract.version_created",
        "contract.terms_edited",
    ]


# --- parties -----------------------------------------------------------------------------


def test_a_second_party_joins_before_signing(client_for, make_contract, acting, world):
    contract = make_contract("negotiation")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/parties/",
        {"organisation": world.network.id, "role": "subcontractor"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 201, response.json()
    assert contract.parties.count() == 2
    assert events("contract.party_added").count() == 1


def test_a_second_lead_provider_is_a_400_not_a_database_error(
    client_for, make_contract, acting, world
):
    contract = make_contract("negotiation")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/parties/",
        {"organisation": world.network.id, "role": "lead_provider"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]
    assert contract.parties.count() == 1


def test_the_same_party_twice_is_a_conflict(client_for, make_contract, acting, world):
    contract = make_contract("draft")
    response = client_for("officer_a").post(
        f"/api/v1/contracts/{contract.pk}/parties/",
        {"organisation": world.provider_in_a.id, "role": "provider"},
        format="json",
        **acting("officer_a"),
    )
    assert response.status_code == 409
    assert contract.parties.count() == 1


@pytest.mark.parametrize("method", ["add", "remove"])
def test_parties_do_not_change_after_signing(client_for, make_contract, acting, world, method):
    contract = make_contract("signed")
    client = client_for("manager_a")
    if method == "add":
        response = client.post(
            f"/api/v1/contracts/{contract.pk}/parties/",
            {"organisation": world.network.id, "role": "partner"},
            format="json",
            **acting("manager_a"),
        )
    else:
        party = contract.parties.get()
        response = client.delete(
            f"/api/v1/contracts/{contract.pk}/parties/{party.pk}/", **acting("manager_a")
        )
    assert response.status_code == 409
    assert contract.parties.count() == 1


def test_a_party_is_removed_before_signing(client_for, make_contract, acting):
    contract = make_contract("draft")
    party = contract.parties.get()
    response = client_for("officer_a").delete(
        f"/api/v1/contracts/{contract.pk}/parties/{party.pk}/", **acting("officer_a")
    )
    assert response.status_code == 204
    assert not contract.parties.exists()
    assert events("contract.party_removed").count() == 1


def test_a_party_that_owes_obligations_is_not_removed(client_for, make_contract, acting, world):
    contract = make_contract("draft")
    party = contract.parties.get()
    contract.obligations.create(
        title="Report", owed_by=world.provider_in_a, first_due=datetime.date(2027, 3, 31)
    )
    response = client_for("officer_a").delete(
        f"/api/v1/contracts/{contract.pk}/parties/{party.pk}/", **acting("officer_a")
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "party_owes_obligations"
    assert contract.parties.count() == 1


# --- diffs -------------------------------------------------------------------------------


@pytest.fixture
def three_versions(make_contract):
    contract = make_contract(
        "draft", clinical_governance="A joint group meets quarterly to review incidents."
    )
    contract.versions.create(
        number=2,
        title="Integrated respiratory service",
        kind="service",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2029, 12, 31),
        value="1200000.00",
        currency="SEK",
        notice_period_months=6,
        clinical_governance="A joint group meets quarterly to review incidents.",
        change_summary="Nothing yet",
    )
    contract.versions.create(
        number=3,
        title="Integrated respiratory service",
        kind="service",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2030, 6, 30),
        value="1350000.50",
        currency="SEK",
        notice_period_months=6,
        clinical_governance="A joint group meets monthly to review incidents and pathways.",
        change_summary="After negotiation",
    )
    return contract


def test_the_diff_shows_changed_fields_and_long_texts_word_by_word(client_for, three_versions):
    response = client_for("provider_in_a").get(
        f"/api/v1/contracts/{three_versions.pk}/versions/diff/", {"from": 1, "to": 3}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from_version"], body["to_version"]) == (1, 3)
    changes = {c["field"]: c for c in body["changes"]}
    assert set(changes) == {"period_end", "value", "clinical_governance"}
    assert changes["period_end"]["old"] == "2029-12-31"
    assert changes["period_end"]["new"] == "2030-06-30"
    assert (changes["value"]["old"], changes["value"]["new"]) == ("1200000.00", "1350000.50")
    assert "words" not in changes["value"]
    words = changes["clinical_governance"]["words"]
    assert {"op": "delete", "text": "quarterly "} in words
    assert {"op": "insert", "text": "monthly "} in words
    assert "".join(w["text"] for w in words if w["op"] != "delete") == (
        "A joint group meets monthly to review incidents and pathways."
    )


def test_the_diff_of_equal_versions_is_empty(client_for, three_versions):
    response = client_for("manager_a").get(
        f"/api/v1/contracts/{three_versions.pk}/versions/diff/", {"from": 1, "to": 2}
    )
    assert response.status_code == 200
    assert response.json()["changes"] == []


def test_the_diff_runs_backwards_too(client_for, three_versions):
    response = client_for("manager_a").get(
        f"/api/v1/contracts/{three_versions.pk}/versions/diff/", {"from": 3, "to": 1}
    )
    changes = {c["field"]: c for c in response.json()["changes"]}
    assert changes["value"]["old"] == "1350000.50"


@pytest.mark.parametrize("query", [{}, {"from": 1}, {"from": "one", "to": 2}, {"from": 0, "to": 2}])
def test_the_diff_without_two_version_numbers_is_a_400(client_for, three_versions, query):
    response = client_for("manager_a").get(
        f"/api/v1/contracts/{three_versions.pk}/versions/diff/", query
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_diff_with_an_unknown_version_is_a_404(client_for, three_versions):
    response = client_for("manager_a").get(
        f"/api/v1/contracts/{three_versions.pk}/versions/diff/", {"from": 1, "to": 9}
    )
    assert response.status_code == 404
    assert "version 9" in response.json()["error"]["message"]


def test_versions_are_listed_in_order(client_for, three_versions):
    response = client_for("politician_a").get(f"/api/v1/contracts/{three_versions.pk}/versions/")
    assert response.status_code == 200
    assert [v["number"] for v in response.json()["results"]] == [1, 2, 3]
