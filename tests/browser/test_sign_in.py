"""Signing in and out and switching the language, in a real browser."""

import re

from tests.browser.conftest import assert_accessible, sign_in


def test_sign_in_page_follows_the_browser_language_and_passes_axe(demo, open_page):
    page = open_page("nb")
    response = page.goto("/")
    assert "/sign-in/" in page.url
    # Served under the production policy (open_page fails the test on any refusal by it).
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", level=1).inner_text() == "Logg inn"
    assert_accessible(page)


def test_wrong_password_is_refused_on_the_page_and_the_right_one_signs_in(demo, open_page):
    page = open_page("en")
    sign_in(page, "anna.manager", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert "do not match an account" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    sign_in(page, "anna.manager")
    assert re.search(r"/$", page.url)
    assert page.get_by_role("button", name="Sign out").is_visible()
    # htmx is loaded from the installation's own static files, allowed by script-src 'self'.
    assert page.evaluate("typeof window.htmx") == "object"


def test_language_switch_changes_the_page_language_and_keeps_it(demo, open_page):
    page = open_page("en")
    sign_in(page, "anna.manager")
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    page.goto("/")
    assert page.get_by_role("button", name="Logga ut").is_visible()
