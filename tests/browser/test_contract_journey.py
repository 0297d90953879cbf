"""The commissioning manager's contract journey, in Norwegian: Ingrid of Fjordvik kommune
finds the service agreement in the contract list, tries to finalise it and is told which
gating milestone is still open, with a link; waives it on its page with a reason; comes back,
finalises and signs; amends the notice period; reads the diff; and finds all of it in the
API."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import Milestone
from contracts.models import Contract
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Tjenesteavtale 5: utskrivningsklare pasienter"
GATE = "Local ICT solutions"  # as the template stores it
GATE_NB = "Lokale IKT-løsninger"  # as a Norwegian reader reads it (commissioning/shipped.py)
REASON = "IKT-samarbeidet avtales i egen tjenesteavtale; samhandlingsutvalget har vedtatt det."


def test_manager_finalises_with_a_waived_gate_signs_and_amends_in_norwegian(demo, open_page):
    contract = Contract.objects.get(reference="FJV-HF-TJENESTE-5")
    page = open_page("nb")
    sign_in(page, "ingrid.manager")

    page.goto("/milestones/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Milepæler")
    # Overdue first: the open gate the contract will wait for heads the list.
    expect(page.get_by_role("row").nth(1)).to_contain_text(GATE_NB)
    assert_accessible(page)
    save_screenshot(page, "milestone-list")

    page.goto("/contracts/?status=negotiation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtaler")
    assert_accessible(page)
    save_screenshot(page, "contract-list")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    save_screenshot(page, "contract-detail")

    # Refused: the open gate is named, with a link to it, and what the contract can do.
    page.get_by_role("button", name="Ferdigstill", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Ingenting er lagret ennå")
    expect(summary).to_contain_text("Hva avtalen kan gjøre videre:")
    assert_accessible(page)
    summary.get_by_role("link", name=GATE_NB).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GATE_NB)
    assert_accessible(page)
    save_screenshot(page, "milestone-detail")
    page.get_by_label("Hvorfor den frafalles").fill(REASON)
    page.get_by_role("button", name="Frafall milepælen").click()
    expect(page.get_by_role("status").first).to_contain_text("Milepælen er frafalt")
    page.get_by_role("link", name="Tilbake til avtalen").click()

    page.get_by_role("button", name="Ferdigstill", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Avtalen har nå status: ferdigstilt")
    page.get_by_role("button", name="Signer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("signert")

    # After signing, a change is an amendment: a new sealed version.
    expect(page.get_by_role("heading", name="Endre avtalen")).to_be_visible()
    page.get_by_label("Hva som endres i denne versjonen").fill("Lengre oppsigelsestid.")
    page.get_by_label("Oppsigelsestid (måneder)").fill("9")
    page.get_by_role("button", name="Lagre endringen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Forskjeller mellom versjoner")
    expect(page.get_by_role("heading", name="Fra versjon 2 til versjon 3")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Oppsigelsestid", re.IGNORECASE))
    expect(row.locator("del")).to_have_text("6")
    expect(row.locator("ins")).to_have_text("9")
    assert_accessible(page)
    save_screenshot(page, "contract-diff")

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="ingrid.manager"))
    body = api.get(f"/api/v1/contracts/{contract.pk}/").json()
    assert body["status"] == "signed"
    assert body["version_count"] == 3
    versions = api.get(f"/api/v1/contracts/{contract.pk}/versions/").json()["results"]
    assert versions[-1]["is_amendment"] is True
    assert versions[-1]["notice_period_months"] == 9
    diff = api.get(f"/api/v1/contracts/{contract.pk}/versions/diff/?from=2&to=3").json()
    assert [c["field"] for c in diff["changes"]] == ["notice_period_months"]
    gate = Milestone.objects.get(programme=contract.programme, title=GATE)
    milestone = api.get(f"/api/v1/milestones/{gate.pk}/").json()
    assert milestone["status"] == "waived"
    assert milestone["waiver_reason"] == REASON
