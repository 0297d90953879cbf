"""A published consultation read without signing in, in Norwegian, on a phone: the list of
published consultations from the footer link, the demo's closed consultation with every
comment's organisation and the responses, and its purchaser's Atom feed."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, save_screenshot


def test_anyone_reads_a_closed_consultation_and_its_responses(demo, open_page):
    page = open_page("nb")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Publiserte høringer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publiserte høringer")
    assert_accessible(page)
    page.locator("tbody a").first.click()
    expect(page.get_by_text("Bestillers svar:").first).to_be_visible()
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    save_screenshot(page, "public-consultation")
    feed = page.request.get(page.get_by_role("link", name="Atom-strøm").first.get_attribute("href"))
    assert feed.status == 200
    assert "<entry>" in feed.text()
