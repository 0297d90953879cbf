"""A forgotten password, two-factor sign-in and security keys, in a real browser, at a phone's
width (390 px), each page passing axe under the production Content-Security-Policy."""

import re
import time

from django.core import mail
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORD
from tests.accounts.two_factor_helpers import TOTP_PERIOD, totp_code
from tests.browser.conftest import assert_accessible, open_menu, save_screenshot, sign_in

HOME = re.compile(r"^https?://[^/]+/$")  # the home page, where a sign-in lands

PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "spring-tulips-in-uppsala-2027"


def fits_the_screen(page) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def check(page) -> None:
    fits_the_screen(page)
    assert_accessible(page)


def confirm_with_password(page, heading: str, button: str) -> None:
    """allauth asks for the password again before a change to two-factor."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check(page)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name=re.compile("Sign out|Logga ut|Logg ut")).click()
    page.wait_for_load_state()


def test_a_person_resets_a_forgotten_password_from_the_emailed_link(demo, open_page):
    page = open_page("sv")
    page.set_viewport_size(PHONE)
    page.goto("/sign-in/")
    page.get_by_role("link", name="Glömt ditt lösenord?").click()
    check(page)
    page.get_by_label("E-post").fill("anna.manager@example.org")
    page.get_by_role("button", name="Återställ mitt lösenord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återställning av lösenord")
    expect(page.get_by_text("Om ett konto har adressen du angav")).to_be_visible()
    check(page)

    (message,) = [m for m in mail.outbox if "/account/password/reset/key/" in m.body]
    assert message.to == ["anna.manager@example.org"]
    assert message.subject == "Återställning av lösenord"
    link = re.search(r"https?://\S+/account/password/reset/key/\S+/", message.body)[0]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra lösenord")
    check(page)
    # Too short first: the rules and the error are said beside the field.
    page.get_by_label("Nytt lösenord", exact=False).first.fill("kort")
    page.get_by_label("Nytt lösenord (igen)").fill("kort")
    page.get_by_role("button", name="Ändra lösenord").click()
    expect(page.get_by_role("alert").first).to_contain_text("för kort")
    check(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ändra lösenord").click()
    page.wait_for_load_state()
    check(page)
    save_screenshot(page, "password-reset-done")

    sign_in(page, "anna.manager", "the-old-demo-password-is-gone")
    expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, "anna.manager", NEW_PASSWORD)
    open_menu(page)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def next_period_code(secret: str, used: set[str]) -> str:
    """A code the person has not used yet: a code works once, so after using this period's
    code the test waits for the authenticator app's next one, as a person would."""
    code = totp_code(secret)
    while code in used:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
        code = totp_code(secret)
    used.add(code)
    return code


def test_a_manager_turns_on_an_authenticator_app_and_signs_in_with_its_code(demo, open_page):
    page = open_page("en")
    page.set_viewport_size(PHONE)
    sign_in(page, "anna.manager")
    page.goto("/account/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    check(page)
    page.get_by_role("link", name="Activate").click()
    confirm_with_password(page, "Confirm Access", "Confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check(page)
    save_screenshot(page, "two-factor-activate")
    secret = page.locator("#totp-secret").inner_text().strip()
    used: set[str] = set()

    page.get_by_label("Authenticator code").fill("000000" if totp_code(secret) != "000000" else "1")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("alert").first).to_contain_text("Incorrect code.")
    check(page)
    page.get_by_label("Authenticator code").fill(next_period_code(secret, used))
    page.get_by_role("button", name="Activate").click()
    # allauth shows the recovery codes once the app is on.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    check(page)
    recovery_codes = page.get_by_label("Unused codes").input_value().split()
    assert len(recovery_codes) == 10

    # The password alone no longer signs in: the second step asks for the code.
    sign_out(page)
    sign_in(page, "anna.manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    check(page)
    save_screenshot(page, "two-factor-sign-in")
    page.get_by_label("Code").fill(recovery_codes[0])
    page.get_by_role("button", name="Sign In").click()
    open_menu(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # A recovery code works once.
    sign_out(page)
    sign_in(page, "anna.manager")
    page.get_by_label("Code").fill(recovery_codes[0])
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert").first).to_contain_text("Incorrect code.")
    check(page)

    # The authenticator app's code signs in.
    page.get_by_label("Code").fill(next_period_code(secret, used))
    page.get_by_role("button", name="Sign In").click()
    open_menu(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.url.endswith("/")


def add_virtual_security_key(page) -> None:
    """Chromium's virtual authenticator (DevTools' WebAuthn domain): a real CTAP2 key with a
    real key pair, answering the page's navigator.credentials calls by itself."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_manager_adds_a_security_key_and_signs_in_with_it_and_as_a_passkey(
    demo, open_page, settings
):
    # Browsers allow WebAuthn on http://localhost; allauth checks the origin is https unless
    # told otherwise (the live server of the tests speaks plain http).
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    page = open_page("nb")
    page.set_viewport_size(PHONE)
    add_virtual_security_key(page)
    sign_in(page, "anna.manager")
    page.goto("/account/2fa/webauthn/add/")
    confirm_with_password(page, "Bekreft tilgang", "Bekreft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Legg til sikkerhetsnøkkel")
    check(page)
    page.get_by_label("Nøkkelens navn").fill("Nøkkelring")
    page.locator("input[name=passwordless]").check()
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gjenopprettingskoder")
    page.goto("/account/2fa/webauthn/")
    expect(page.get_by_text("Nøkkelring")).to_be_visible()
    check(page)

    # Second step with the key.
    sign_out(page)
    sign_in(page, "anna.manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tofaktorautentisering")
    check(page)
    page.locator("#mfa_webauthn_authenticate").click()
    # The key's answer is posted by the page's script and the browser then lands on the home
    # page: open the menu there, not on the page being left (it closes as the page changes).
    expect(page).to_have_url(HOME)
    open_menu(page)
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

    # And as a passkey, without the password.
    sign_out(page)
    page.goto("/sign-in/")
    page.locator("#passkey_login").click()
    expect(page).to_have_url(HOME)
    open_menu(page)
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


def test_a_refused_security_key_is_explained_on_the_page(demo, open_page, settings):
    """A key that holds no passkey for this site: the browser's refusal is said in words."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    page = open_page("sv")
    add_virtual_security_key(page)
    page.goto("/sign-in/")
    page.locator("#passkey_login").click()
    expect(page.get_by_role("alert")).to_contain_text("Säkerhetsnyckeln svarade inte")
    assert_accessible(page)
