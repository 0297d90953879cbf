"""A provider reads a long rulebook (the demo's open consultation grown to 120 clauses) in
Swedish: the clause index takes her to a clause, the "changed clauses only" link leaves the
changed ones, one comment button a clause says what it will do, and axe finds no serious
or critical violation on either view."""

import os
import uuid

from django.db.models import Max

from contracts.models import Clause
from dialogue.models import Consultation
from dialogue.web.consultation_display import previous_version
from tests.browser.conftest import SCREENSHOTS, assert_accessible, sign_in
from tests.browser.test_consultation_journey import TITLE

CLAUSES = 120


def grow(consultation: Consultation) -> None:
    """Unchanged clauses added to both versions until the consulted one has 120."""
    version = consultation.rulebook_version
    previous = previous_version(version)
    start = version.clauses.aggregate(last=Max("position"))["last"] + 1
    missing = CLAUSES - version.clauses.count()
    for number in range(start, start + missing):
        lineage = uuid.uuid4()
        for each in (previous, version):
            Clause.objects.create(
                version=each,
                key=f"{number}",
                lineage=lineage,
                position=number,
                heading=f"Rapportering del {number}",
                text=f"Vårdgivaren rapporterar uppgift {number} varje månad.",
            )


def test_a_provider_finds_her_way_in_a_long_rulebook(demo, open_page):
    consultation = Consultation.objects.get(title=TITLE)
    grow(consultation)
    version = consultation.rulebook_version
    changed = version.clauses.get(key="4.1")
    far = version.clauses.get(key="100")
    page = open_page("sv")
    sign_in(page, "sara.provider")
    page.goto(f"/consultations/{consultation.pk}/")

    index = page.get_by_role("navigation", name="Innehållsförteckning")
    assert index.get_by_role("listitem").count() == CLAUSES
    assert page.locator(".comment-on-clause").count() == CLAUSES
    button = page.get_by_role("button", name="Lämna synpunkt på den här punkten (punkt 100)")
    assert_accessible(page)
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        index.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "consultation-long-rulebook.png"))

    index.get_by_role("link", name="100 Rapportering del 100").click()
    assert page.url.endswith(f"#clause-{far.pk}")
    assert page.locator(f"#clause-{far.pk}-heading").is_visible()
    assert button.is_visible()

    # Words selected in the clause: the same button now takes them.
    page.locator(f"#clause-{far.pk}-text").focus()
    for _ in range(11):
        page.keyboard.press("Shift+ArrowRight")
    selected = page.get_by_role("button", name="Lämna synpunkt på den markerade texten (punkt 100)")
    selected.click()
    assert page.locator("#quote-text").inner_text() == "Vårdgivaren"

    page.get_by_role("link", name="Bara ändrade punkter").click()
    page.wait_for_load_state()
    assert "changed=1" in page.url
    shown = page.locator("section.clause[id^=clause-]")
    assert 0 < shown.count() < 20
    assert page.locator(f"#clause-{changed.pk}").is_visible()
    assert not page.locator(f"#clause-{far.pk}").count()
    assert (
        page.get_by_role("link", name="Bara ändrade punkter").get_attribute("aria-current")
        == "page"
    )
    assert_accessible(page)
