"""The contract pages (contracts/web/): the list filters and sorts by the URL and pages in a
constant number of queries; a contract's page offers only the moves the person may make; a
refused move (finalising with a gating milestone open) says why, links the open milestones
and what the contract can do, and changes nothing; a new version after signing is an
amendment, and its diff reads field by field."""

import datetime
import re

import pytest
from django.utils import timezone

from commissioning.models import Event, Milestone
from contracts.models import Contract, ContractVersion
from tests.contracts import contract_fixtures
from tests.contracts.factories import ContractFactory, GatingMilestoneFactory
from tests.pages import signed_in, text

make_contract = contract_fixtures.make_contract
pytestmark = pytest.mark.django_db


def test_the_list_filters_by_status_and_ending_within_and_hides_other_purchasers(
    world, make_contract
):
    today = timezone.localdate()
    make_contract(
        "active",
        title="Ending soon",
        period_start=today - datetime.timedelta(days=300),
        period_end=today + datetime.timedelta(days=20),
    )
    make_contract("draft", title="A draft")
    ContractFactory(programme=world.programme_b, terms={"title": "Contract of B"})
    client = signed_in(world, "officer_a")

    page = text(client.get("/contracts/"))
    assert "Ending soon" in page
    assert "A draft" in page
    assert "Contract of B" not in page
    page = text(client.get("/contracts/?status=active"))
    assert "Ending soon" in page
    assert "A draft" not in page
    page = text(client.get("/contracts/?ending_within=30"))
    assert "Ending soon" in page
    assert "A draft" not in page


def test_a_filter_typed_wrong_is_a_400_naming_the_field_as_labelled(world):
    response = signed_in(world).get("/contracts/?ending_within=soon")
    assert response.status_code == 400
    assert "Ending within (days): Enter a number." in text(response)


def test_the_list_sorts_by_title_and_pages_in_constant_queries(
    world, make_contract, django_assert_max_num_queries
):
    for number in range(30):
        make_contract("draft", lead=False, title=f"Contract {number:02d}")
    client = signed_in(world)
    with django_assert_max_num_queries(14):
        first = client.get("/contracts/?sort=-current_title&per_page=10")
    with django_assert_max_num_queries(14):
        last = client.get("/contracts/?sort=-current_title&per_page=10&page=3")
    titles = re.findall(r'<a href="/contracts/\d+/">(Contract \d+)</a>', first.content.decode())
    assert titles[:2] == ["Contract 29", "Contract 28"]
    assert "Contract 00" in last.content.decode()


def test_an_officer_is_not_offered_the_managers_moves(world, make_contract):
    contract = make_contract("negotiation")
    officer = text(signed_in(world, "officer_a").get(f"/contracts/{contract.pk}/"))
    manager = text(signed_in(world, "manager_a").get(f"/contracts/{contract.pk}/"))
    assert "Finalise" not in officer
    assert f'action="/contracts/{contract.pk}/moves/finalise/"' in manager


def test_an_officer_finalising_by_hand_is_refused_and_nothing_changes(world, make_contract):
    contract = make_contract("negotiation")
    response = signed_in(world, "officer_a").post(f"/contracts/{contract.pk}/moves/finalise/")
    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.status == Contract.Status.NEGOTIATION


def test_a_refused_finalising_names_the_open_gate_with_a_link_and_saves_nothing(
    world, make_contract
):
    contract = make_contract("negotiation")
    gate = GatingMilestoneFactory(programme=world.programme_a, title="Provider council held")
    events = Event.objects.count()
    response = signed_in(world, "manager_a").post(f"/contracts/{contract.pk}/moves/finalise/")
    assert response.status_code == 409
    page = text(response)
    assert "Nothing was saved yet: please fix this" in page
    assert "gating milestone(s) are open: Provider council held" in page
    assert f'href="/milestones/{gate.pk}/?contract={contract.pk}"' in page
    assert "What this contract can do next: Finalise" in page
    contract.refresh_from_db()
    assert contract.status == Contract.Status.NEGOTIATION
    assert Event.objects.count() == events


def test_a_waived_gate_lets_the_manager_finalise_sign_and_amend(world, make_contract):
    contract = make_contract("negotiation")
    gate = GatingMilestoneFactory(programme=world.programme_a)
    manager = signed_in(world, "manager_a")
    officer = signed_in(world, "officer_a")
    # The officer sees no waive form, and a waiver by hand is refused.
    assert "Waive the milestone" not in text(officer.get(f"/milestones/{gate.pk}/"))
    assert officer.post(f"/milestones/{gate.pk}/waive/", {"reason": "x"}).status_code == 403
    blank = manager.post(f"/milestones/{gate.pk}/waive/", {"reason": " "})
    assert blank.status_code == 400
    assert "Why it is waived: Required; it may not be blank." in text(blank)
    gate.refresh_from_db()
    assert gate.status == Milestone.Status.PLANNED

    waived = manager.post(
        f"/milestones/{gate.pk}/waive/?contract={contract.pk}", {"reason": "Held at the forum"}
    )
    assert waived.status_code == 302
    assert f"/contracts/{contract.pk}/" in text(manager.get(waived["Location"]))
    for move in ("finalise", "sign"):
        assert manager.post(f"/contracts/{contract.pk}/moves/{move}/").status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED

    page = text(manager.get(f"/contracts/{contract.pk}/"))
    assert "Amend the contract" in page
    form = {
        "version-change_summary": "Longer notice",
        "version-title": "Integrated respiratory service",
        "version-notice_period_months": "9",
        "version-clinical_governance": "A joint clinical-governance group meets monthly.",
    }
    amended = manager.post(f"/contracts/{contract.pk}/versions/", form)
    assert amended.status_code == 302
    version = ContractVersion.objects.get(contract=contract, number=2)
    assert version.is_amendment
    assert version.sealed_at is not None
    assert version.notice_period_months == 9
    diff = text(manager.get(amended["Location"]))
    assert "From version 1 to version 2" in diff
    assert "Notice period (months)" in diff
    assert "<del>quarterly.</del><ins>monthly.</ins>" in diff


def test_an_amendment_that_changes_nothing_is_refused_with_everything_as_typed(
    world, make_contract
):
    contract = make_contract("signed")
    manager = signed_in(world, "manager_a")
    current = contract.versions.get()
    form = {
        "version-change_summary": "Nothing really",
        "version-title": current.title,
        "version-period_start": current.period_start.isoformat(),
        "version-period_end": current.period_end.isoformat(),
        "version-value": str(current.value),
        "version-currency": current.currency,
        "version-notice_period_months": str(current.notice_period_months),
        "version-clinical_governance": current.clinical_governance,
    }
    response = manager.post(f"/contracts/{contract.pk}/versions/", form)
    assert response.status_code == 400
    page = text(response)
    assert "This amendment changes no term" in page
    assert "Nothing really" in page
    assert contract.versions.count() == 1


def test_a_provider_party_reads_the_contract_but_is_offered_nothing(world, make_contract):
    contract = make_contract("negotiation")
    response = signed_in(world, "provider_in_a").get(f"/contracts/{contract.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "/moves/" not in page
    assert "New version" not in page
    assert signed_in(world, "manager_b").get(f"/contracts/{contract.pk}/").status_code == 404


def test_a_diff_of_a_version_that_does_not_exist_is_a_400_naming_the_field(world, make_contract):
    contract = make_contract("draft")
    response = signed_in(world).get(f"/contracts/{contract.pk}/diff/?first=1&second=7")
    assert response.status_code == 400
    assert "To version: Select a valid choice." in text(response)
