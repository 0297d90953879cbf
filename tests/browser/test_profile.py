"""The profile page on a phone (390 px wide), in a real browser: reached from the header,
the language chosen there wins over the browser's, a token made there is shown once and
works against the API until it is revoked, and every page passes axe."""

import requests

from tests.browser.conftest import assert_accessible, open_menu, save_screenshot, sign_in

PHONE = {"width": 390, "height": 844}


def assert_fits(page) -> None:
    """Nothing wider than the screen: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_manager_on_a_phone_chooses_a_language_and_makes_and_revokes_a_token(
    demo, open_page, live_server
):
    page = open_page("en")
    page.set_viewport_size(PHONE)
    sign_in(page, "anna.manager")
    open_menu(page)
    page.get_by_role("link", name="Profile").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Your profile"
    assert_fits(page)
    assert_accessible(page)

    # Norwegian, chosen on the profile, wins over the browser's English from now on.
    # (The header's switch is labelled "Language" too: the profile's field by its id.)
    page.locator("#id_language").select_option("nb")
    page.get_by_label("Time zone", exact=True).select_option("Europe/Oslo")
    page.get_by_role("button", name="Save language and time zone").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("status").first.inner_text().strip()
    save_screenshot(page, "profile")

    page.get_by_label("Navn på den nye nøkkelen").fill("Rapportskript")
    page.get_by_role("button", name="Lag en nøkkel").click()
    page.wait_for_load_state()
    assert "bare denne ene gangen" in page.get_by_role("alert").inner_text()
    secret = page.locator("#new-token").input_value()
    assert_fits(page)
    assert_accessible(page)
    api = f"{live_server.url}/api/v1/programmes/"
    headers = {"Authorization": f"Token {secret}"}
    assert requests.get(api, headers=headers, timeout=10).status_code == 200

    page.get_by_role("link", name="Tilbake til profilen din").click()
    page.wait_for_load_state()
    assert secret not in page.content()
    page.get_by_role("link", name="Tilbakekall Rapportskript").click()
    page.wait_for_load_state()
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Tilbakekall nøkkelen").click()
    page.wait_for_load_state()
    assert "Rapportskript" in page.get_by_role("status").first.inner_text()
    assert requests.get(api, headers=headers, timeout=10).status_code == 401
