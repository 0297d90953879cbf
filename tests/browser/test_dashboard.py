"""The manager dashboard in Swedish, in a real browser: the region's programmes and
milestones, relationships, consultations and the trends, each chart with its table."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, save_screenshot, sign_in


def test_manager_reads_the_dashboard_in_swedish_and_it_passes_axe(demo, open_page):
    page = open_page("sv")
    sign_in(page, "anna.manager")
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Översikt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Översikt för")
    expect(page.get_by_role("heading", name="Program och milstolpar")).to_be_visible()
    expect(page.get_by_role("heading", name="Relationer som behöver uppmärksamhet")).to_be_visible()
    # The chart is one image with a name, and its figures follow as a table.
    chart = page.get_by_role("img", name="Dialogandel per kvartal")
    expect(chart).to_be_visible()
    expect(page.get_by_role("columnheader", name="Dialogminuter")).to_be_visible()
    # Overdue is said in words, not only by a colour.
    expect(page.get_by_text("Försenad").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "manager-dashboard")


def test_provider_home_lists_open_consultations_and_passes_axe(demo, open_page):
    page = open_page("sv")
    sign_in(page, "sara.provider")
    expect(page.get_by_role("heading", name="Remisser öppna för era synpunkter")).to_be_visible()
    expect(page.get_by_role("heading", name="Era senaste synpunkter")).to_be_visible()
    # The dashboard is not theirs: no link, and the address refuses them.
    expect(page.get_by_role("link", name="Översikt")).to_have_count(0)
    assert_accessible(page)
    response = page.goto("/dashboard/")
    assert response.status == 403
    assert_accessible(page)
