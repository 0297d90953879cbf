"""The OCDS export of a programme: valid against the OCDS 1.1.5 release package schema
(validated offline), with parties, milestones, contracts and amendments mapped to OCDS codes."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from commissioning import policies
from commissioning.models import Milestone
from commissioning.services import milestones
from tests.commissioning.milestone_factories import (
    ContractFactory,
    ContractPartyFactory,
    ContractVersionFactory,
    MilestoneFactory,
)

# The shared folder sits beside the repository: /work/shared/ocds-1.1.5 for /work/main.
OCDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "ocds-1.1.5"


def _schema(name: str) -> dict:
    return json.loads((OCDS_DIR / name).read_text())


def _formats(schema) -> set[str]:
    """Every `format` a schema names, wherever it sits."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(_formats(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_formats(value) for value in schema))
    return set()


@pytest.fixture(scope="module")
def validator():
    package_schema = _schema("release-package-schema.json")
    release_schema = _schema("release-schema.json")
    # The package schema names the release schema by its URL; resolve it to the local copy
    # so that the tests never touch the network.
    registry = Registry().with_resource(
        release_schema["id"], Resource.from_contents(release_schema, default_specification=DRAFT4)
    )
    return Draft4Validator(
        package_schema,
        registry=registry,
        format_checker=Draft4Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def full_programme(world):
    """Programme A with milestones in every status and a signed, amended contract."""
    programme = world.programme_a
    programme.framework = "uk_provider_selection"
    # Far enough ahead that the template's steps stay scheduled whenever the tests run.
    programme.target_decision_date = timezone.localdate() + datetime.timedelta(days=400)
    programme.description = "Integrated respiratory service"
    programme.save()
    contract = ContractFactory(
        programme=programme,
        status="active",
        signed_at=timezone.now() - datetime.timedelta(days=10),
    )
    ContractPartyFactory(contract=contract, organisation=world.provider_in_a, role="lead_provider")
    ContractVersionFactory(contract=contract, number=1, sealed_at=timezone.now())
    ContractVersionFactory(
        contract=contract,
        number=2,
        is_amendment=True,
        change_summary="Pathway-development terms widened after the provider council.",
        value=Decimal("1300000.50"),
    )
    officer, purchaser = world.people["officer_a"], world.purchaser_a
    milestones.apply_template(actor=officer, acting_for=purchaser, programme=programme)
    milestones.apply_template(
        actor=officer, acting_for=purchaser, programme=programme, contract=contract
    )
    MilestoneFactory(
        programme=programme,
        title="Waived step",
        status=Milestone.Status.WAIVED,
        waiver_reason="Held at the ICB board instead.",
    )
    MilestoneFactory(programme=programme, title="Missed step", status=Milestone.Status.MISSED)
    MilestoneFactory(
        programme=programme,
        title="Met step",
        kind="approval",
        status=Milestone.Status.MET,
        met_on=datetime.date(2026, 1, 15),
    )
    return programme, contract


def ocds_of(client_for, actor, programme):
    return client_for(actor).get(f"/api/v1/programmes/{programme.pk}/ocds/")


def test_the_export_validates_against_the_release_package_schema(
    client_for, full_programme, validator
):
    programme, _contract = full_programme
    response = ocds_of(client_for, "manager_a", programme)
    assert response.status_code == 200
    package = response.json()
    errors = sorted(validator.iter_errors(package), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_validator_catches_a_broken_export(client_for, full_programme, validator):
    """The validation above means something: a wrong code is caught."""
    programme, _contract = full_programme
    package = ocds_of(client_for, "manager_a", programme).json()
    package["releases"][0]["contracts"][0]["status"] = "in_dialogue"
    assert not validator.is_valid(package)


def test_the_validator_checks_every_format_the_schema_names(validator):
    """jsonschema skips, silently, a format whose checker needs a package that is not
    installed (date-time needs rfc3339-validator, uri needs rfc3986-validator: jsonschema's
    format-nongpl extra); a validation without them proves nothing about dates and URIs."""
    named = _formats(_schema("release-package-schema.json")) | _formats(
        _schema("release-schema.json")
    )
    assert {"date-time", "uri"} <= named
    assert named - set(validator.format_checker.checkers) == set()


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("releases", 0, "date"), "2026-02-31T00:00:00Z"),
        (("releases", 0, "tender", "milestones", 0, "dueDate"), "3 December 2026"),
        (("uri",), "not a uri"),
        (("publishedDate",), "2026-12-03"),
    ],
)
def test_the_validator_catches_a_bad_date_time_or_uri(
    client_for, full_programme, validator, where, value
):
    programme, _contract = full_programme
    package = ocds_of(client_for, "manager_a", programme).json()
    assert validator.is_valid(package)
    *path, last = where
    target = package
    for step in path:
        target = target[step]
    target[last] = value
    errors = list(validator.iter_errors(package))
    assert [(list(e.absolute_path), e.validator) for e in errors] == [(list(where), "format")]


def test_a_programme_without_contracts_or_milestones_validates_too(client_for, world, validator):
    package = ocds_of(client_for, "manager_b", world.programme_b).json()
    assert validator.is_valid(package), list(validator.iter_errors(package))
    assert "contracts" not in package["releases"][0]
    assert package["releases"][0]["tender"]["milestones"] == []


def test_parties_carry_their_ocds_roles(client_for, world, full_programme):
    programme, _contract = full_programme
    release = ocds_of(client_for, "manager_a", programme).json()["releases"][0]
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles["Region A"] == ["buyer", "procuringEntity"]
    assert roles["Provider in A"] == ["supplier", "tenderer"]
    assert roles["Network in A"] == ["tenderer"]
    assert release["ocid"] == f"ocds-commissioning-{programme.pk}"
    assert release["buyer"]["name"] == "Region A"


def test_milestone_statuses_and_types_are_mapped_to_ocds_codes(client_for, full_programme):
    programme, _contract = full_programme
    release = ocds_of(client_for, "manager_a", programme).json()["releases"][0]
    exported = release["planning"]["milestones"] + release["tender"]["milestones"]
    by_title = {m["title"]: m for m in exported}
    assert by_title["Met step"]["status"] == "met"
    assert by_title["Met step"]["dateMet"] == "2026-01-15T00:00:00Z"
    assert by_title["Missed step"]["status"] == "notMet"
    # A waived milestone did not take place: notMet, with the manager's reason.
    assert by_title["Waived step"]["status"] == "notMet"
    assert "Held at the ICB board instead." in by_title["Waived step"]["description"]
    engagement = next(m for m in exported if m["title"].startswith("Stakeholder engagement"))
    assert (engagement["type"], engagement["status"]) == ("engagement", "scheduled")
    due = programme.target_decision_date - datetime.timedelta(days=180)
    assert engagement["dueDate"] == f"{due.isoformat()}T00:00:00Z"


def exported_milestone(client_for, programme, title):
    release = ocds_of(client_for, "manager_a", programme).json()["releases"][0]
    exported = release["planning"]["milestones"] + release["tender"]["milestones"]
    return next(m for m in exported if m["title"] == title)


def test_an_overdue_planned_milestone_is_not_met_from_the_day_after_its_due_date(
    client_for, world, settings, validator
):
    """milestoneStatus.csv: scheduled means progress "has not yet been evaluated"; notMet
    that it "had not been met at the date it was last reviewed (dateModified)". Past its due
    date and still planned, it has not been met, whether or not the nightly job has marked it
    missed yet; dateModified is when that became true (the due day over, in TIME_ZONE)."""
    settings.TIME_ZONE = "Europe/Stockholm"
    milestone = MilestoneFactory(
        programme=world.programme_a, title="Overdue step", due_date=datetime.date(2025, 1, 10)
    )
    Milestone.objects.filter(pk=milestone.pk).update(
        updated_at=datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC)
    )
    exported = exported_milestone(client_for, world.programme_a, "Overdue step")
    assert exported["status"] == "notMet"
    assert exported["dateModified"] == "2025-01-10T23:00:00Z"
    assert "dateMet" not in exported
    assert validator.is_valid(ocds_of(client_for, "manager_a", world.programme_a).json())


def test_an_overdue_milestone_edited_after_its_due_date_was_reviewed_at_the_edit(client_for, world):
    MilestoneFactory(
        programme=world.programme_a, title="Overdue step", due_date=datetime.date(2025, 1, 10)
    )
    exported = exported_milestone(client_for, world.programme_a, "Overdue step")
    assert exported["status"] == "notMet"
    assert exported["dateModified"] > "2025-01-11"


@pytest.mark.parametrize("days_ahead", [0, 1, None])
def test_a_planned_milestone_not_yet_due_is_scheduled(client_for, world, days_ahead):
    due = None if days_ahead is None else timezone.localdate() + datetime.timedelta(days_ahead)
    MilestoneFactory(programme=world.programme_a, title="Coming step", due_date=due)
    assert exported_milestone(client_for, world.programme_a, "Coming step")["status"] == (
        "scheduled"
    )


@pytest.mark.parametrize(
    ("language", "sweden", "norway"),
    [("en", "Sweden", "Norway"), ("sv", "Sverige", "Norge"), ("nb", "Sverige", "Norge")],
)
def test_addresses_name_the_country_in_the_release_language(
    client_for, world, full_programme, language, sweden, norway
):
    """Address.countryName is "The country name. For example, United States.", a free-text
    field in the release's language; OCDS 1.1 core has no field for the ISO code."""
    programme, _contract = full_programme
    programme.language = language
    programme.save()
    world.provider_in_a.country = "NO"
    world.provider_in_a.save()
    release = ocds_of(client_for, "manager_a", programme).json()["releases"][0]
    assert release["language"] == language
    addresses = {p["name"]: p["address"] for p in release["parties"]}
    assert addresses["Region A"] == {"countryName": sweden}
    assert addresses["Provider in A"] == {"countryName": norway}


def test_contracts_carry_status_value_milestones_and_amendments(client_for, full_programme):
    programme, contract = full_programme
    release = ocds_of(client_for, "manager_a", programme).json()["releases"][0]
    [exported] = release["contracts"]
    assert exported["status"] == "active"
    assert exported["value"] == {"amount": 1300000.5, "currency": "GBP"}
    assert exported["period"]["startDate"] == "2027-04-01T00:00:00Z"
    assert exported["awardID"] == release["awards"][0]["id"]
    assert {m["title"] for m in exported["milestones"]} >= {
        "Clinical-governance arrangements agreed between all providers",
        "Pathway-development terms agreed",
    }
    [amendment] = exported["amendments"]
    assert amendment["id"] == f"contract-{contract.pk}-v2"
    assert amendment["rationale"].startswith("Pathway-development terms widened")


def release_tags(client_for, programme):
    return ocds_of(client_for, "manager_a", programme).json()["releases"][0]["tag"]


@pytest.mark.parametrize(
    ("phase", "tag"),
    [
        ("planning", "planning"),
        ("early_dialogue", "planning"),
        ("consultation", "tender"),
        ("decision", "tender"),
        ("contracting", "tender"),
        ("closed", "tender"),
    ],
)
def test_a_release_without_contracts_is_tagged_by_its_stage(client_for, world, phase, tag):
    """releaseTag.csv: `compiled` "is used only in compiled records"; this export is a
    release package, so each release says what it carries: planning while the tender section
    describes a proposed process (tender.status planning), tender once it runs."""
    world.programme_a.phase = phase
    world.programme_a.save()
    assert release_tags(client_for, world.programme_a) == [tag]


def test_a_release_with_contracts_is_tagged_award_and_contract(client_for, full_programme):
    programme, _contract = full_programme
    programme.phase = "delivery"
    programme.save()
    assert release_tags(client_for, programme) == ["tender", "award", "contract"]


def test_a_release_whose_contracts_all_ended_is_tagged_contract_termination(
    client_for, world, validator
):
    world.programme_a.phase = "closed"
    world.programme_a.save()
    for status in ("ended", "terminated"):
        ContractVersionFactory(
            contract=ContractFactory(programme=world.programme_a, status=status), number=1
        )
    assert release_tags(client_for, world.programme_a) == [
        "tender",
        "award",
        "contract",
        "contractTermination",
    ]
    ContractFactory(programme=world.programme_a, status="active")
    assert "contractTermination" not in release_tags(client_for, world.programme_a)
    assert validator.is_valid(ocds_of(client_for, "manager_a", world.programme_a).json())


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("draft", "pending"),
        ("signed", "pending"),
        ("ended", "terminated"),
        ("terminated", "terminated"),
    ],
)
def test_contract_statuses_map_to_the_closed_contract_status_codelist(
    client_for, world, status, code, validator
):
    contract = ContractFactory(programme=world.programme_a, status=status)
    ContractVersionFactory(contract=contract, number=1)
    package = ocds_of(client_for, "manager_a", world.programme_a).json()
    assert package["releases"][0]["contracts"][0]["status"] == code
    assert validator.is_valid(package)


def test_a_provider_sees_only_the_contracts_it_is_party_to(client_for, world, full_programme):
    programme, _contract = full_programme
    release = ocds_of(client_for, "network_rep", programme).json()["releases"][0]
    assert "contracts" not in release
    exported = release["planning"]["milestones"] + release["tender"]["milestones"]
    assert all(not m["title"].startswith("Clinical-governance") for m in exported)


@pytest.mark.parametrize("actor", ["manager_b", "provider_outside"])
def test_an_invisible_programme_answers_404(client_for, world, actor):
    response = ocds_of(client_for, actor, world.programme_a)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "actor",
    ["manager_a", "officer_a", "provider_in_a", "network_rep", "network_member", "politician_a"],
)
def test_everyone_who_sees_the_programme_gets_its_export(client_for, world, actor):
    assert ocds_of(client_for, actor, world.programme_a).status_code == 200


def test_the_export_queries_do_not_grow_with_contracts_and_milestones(client_for, world):
    def count():
        policies.forget_standing(world.people["manager_a"])
        with CaptureQueriesContext(connection) as captured:
            response = ocds_of(client_for, "manager_a", world.programme_a)
        assert response.status_code == 200
        return len(captured)

    def add_contract():
        contract = ContractFactory(programme=world.programme_a)
        ContractPartyFactory(contract=contract)
        ContractVersionFactory(contract=contract, number=1)
        ContractVersionFactory(contract=contract, number=2, is_amendment=True)
        MilestoneFactory(programme=world.programme_a, contract=contract)
        MilestoneFactory(programme=world.programme_a)

    add_contract()
    few = count()
    for _n in range(10):
        add_contract()
    assert count() == few <= 12
