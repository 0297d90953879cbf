"""The commissioning manager's rulebook journey, in Swedish: Anna of Region Norrsund makes a
new draft of the care-choice rulebook from the last version, rewords the availability clause,
renumbers the reporting clause and moves it to the end, is refused once for a clause number
already taken (beside the field, with nothing lost), and reads the diff, where the renumbered
clause is shown as moved rather than removed and added. Then she reads the same from the API."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from rest_framework.test import APIClient

from contracts.models import Rulebook
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

NEW_TEXT = (
    "Vårdcentralen har öppet vardagar 8–17 och ger kontakt samma dag samt medicinsk "
    "bedömning inom två dagar."
)


def test_manager_makes_a_draft_rewords_and_moves_a_clause_and_reads_the_diff(demo, open_page):
    rulebook = Rulebook.objects.get(title__startswith="Regelbok vårdval primärvård")
    last = rulebook.versions.order_by("-number").first()

    page = open_page("sv")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "anna.manager")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Regelböcker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regelböcker")
    assert_accessible(page)
    save_screenshot(page, "rulebook-list")
    page.get_by_role("link", name=rulebook.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(rulebook.title)
    assert_accessible(page)
    save_screenshot(page, "rulebook-versions")
    page.get_by_label("Vad den här versionen ändrar").fill("Kortare väntan på bedömning.")
    page.get_by_role("button", name=f"Gör ett nytt utkast från version {last.number}").click()

    number = last.number + 1
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Version {number}")
    expect(page.get_by_role("status")).to_contain_text(f"Version {number} skapades som utkast.")
    assert_accessible(page)
    save_screenshot(page, "rulebook-version-draft")

    # Reword clause 3.
    page.get_by_role("link", name="Redigera 3", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera punkt 3")
    assert_accessible(page)
    page.get_by_label("Text").fill(NEW_TEXT)
    page.get_by_role("button", name="Spara punkten").click()
    expect(page.get_by_role("status")).to_contain_text("Punkt 3 sparades.")

    # Renumber 4.2 to a number that is taken: refused beside the field, nothing lost.
    page.get_by_role("link", name="Redigera 4.2", exact=True).click()
    page.get_by_label("Punktnummer").fill("5")
    page.get_by_label("Rubrik").fill("Rapportering av avvikelser")
    page.get_by_role("button", name="Spara punkten").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Punktnummer: Används redan i den här versionen.")
    expect(page.get_by_label("Rubrik")).to_have_value("Rapportering av avvikelser")
    assert_accessible(page)
    save_screenshot(page, "rulebook-clause-refused")
    page.get_by_label("Punktnummer").fill("6")
    page.get_by_role("button", name="Spara punkten").click()
    expect(page.get_by_role("status")).to_contain_text("Punkt 6 sparades.")

    # Move it after clause 5, to the end.
    page.get_by_role("button", name="Flytta ned 6", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Punkt 6 flyttades.")
    expect(page.locator(".clause-key").last).to_have_text("6")
    expect(page.get_by_role("button", name="Flytta ned 6", exact=True)).to_have_count(0)

    # The diff against the version it was made from.
    page.get_by_role("button", name="Visa vad som ändrats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Vad som ändrats från version {last.number} till version {number}"
    )
    moved = page.get_by_role("region", name="Flyttade (omnumrerade)")
    expect(moved).to_contain_text("4.2 flyttad till 6")
    expect(moved).to_contain_text("Rapportering av avvikelser")
    changed = page.get_by_role("region", name="Ändrade")
    expect(changed).to_contain_text("Tillgänglighet")
    expect(changed.locator("ins", has_text="två")).to_have_count(1)
    expect(page.get_by_role("region", name="Borttagna")).to_contain_text("Ingen punkt togs bort.")
    expect(page.get_by_role("region", name="Tillagda")).to_contain_text("Ingen punkt lades till.")
    assert_accessible(page)
    save_screenshot(page, "rulebook-diff")

    # The API says the same.
    draft = rulebook.versions.get(number=number)
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="anna.manager"))
    diff = api.get(f"/api/v1/rulebook-versions/{draft.pk}/diff/?against={last.pk}").json()
    assert [(m["old_key"], m["key"]) for m in diff["moved"]] == [("4.2", "6")]
    assert [c["key"] for c in diff["changed"]] == ["3"]
    assert (diff["added"], diff["removed"]) == ([], [])
    version = api.get(f"/api/v1/rulebook-versions/{draft.pk}/").json()
    assert version["status"] == "draft"
    assert [c["key"] for c in version["clauses"]][-2:] == ["5", "6"]
    assert next(c for c in version["clauses"] if c["key"] == "3")["text"] == NEW_TEXT
