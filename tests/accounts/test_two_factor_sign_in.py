"""Signing in with two-factor: the code is asked after the password, on every door in."""

import pytest
from django.test import Client

from tests.accounts.two_factor_helpers import PASSWORD, person, totp_code, with_totp

pytestmark = pytest.mark.django_db

SECOND_STEP = "/account/2fa/authenticate/"


def sign_in(client, username, password=PASSWORD):
    return client.post("/sign-in/", {"login": username, "password": password})


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_the_password_alone_does_not_sign_in_a_person_with_two_factor():
    member = person("tove.totp")
    with_totp(member)
    client = Client()
    response = sign_in(client, "tove.totp")
    assert response.status_code == 302
    assert response["Location"] == SECOND_STEP
    assert not signed_in(client)
    page = client.get(SECOND_STEP)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_the_code_of_the_authenticator_app_completes_the_sign_in():
    member = person("tove.totp")
    with_totp(member)
    client = Client()
    sign_in(client, "tove.totp")
    response = client.post(SECOND_STEP, {"code": totp_code()})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_wrong_code_is_refused_in_the_persons_language():
    member = person("tove.totp")
    with_totp(member)
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    sign_in(client, "tove.totp")
    wrong = "000000" if totp_code() != "000000" else "111111"
    response = client.post(SECOND_STEP, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Felaktig kod." in html
    # The house's error summary and the field's own error, tied to the input.
    assert 'role="alert"' in html
    assert 'aria-describedby="id_code_errors"' in html
    assert 'aria-invalid="true"' in html
    assert not signed_in(client)


def test_a_code_is_accepted_once():
    member = person("tove.totp")
    with_totp(member)
    code = totp_code()
    first = Client()
    sign_in(first, "tove.totp")
    assert first.post(SECOND_STEP, {"code": code}).status_code == 302
    # Someone who saw the code over the person's shoulder, within the same 30 seconds.
    second = Client()
    sign_in(second, "tove.totp")
    response = second.post(SECOND_STEP, {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not signed_in(second)


def test_a_recovery_code_signs_in_once():
    member = person("tove.totp")
    recovery_codes = with_totp(member)
    first = Client()
    sign_in(first, "tove.totp")
    assert first.post(SECOND_STEP, {"code": recovery_codes[0]}).status_code == 302
    assert signed_in(first)
    again = Client()
    sign_in(again, "tove.totp")
    response = again.post(SECOND_STEP, {"code": recovery_codes[0]})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not signed_in(again)
    # The other codes still work.
    assert again.post(SECOND_STEP, {"code": recovery_codes[1]}).status_code == 302


@pytest.mark.parametrize("door", ["/api-auth/login/", "/admin/login/"])
def test_no_other_sign_in_page_skips_the_code(door):
    """The browsable API's and the admin site's sign-in pages were Django's own LoginView:
    a password alone opened a session for every page, two-factor or not."""
    member = person("tove.totp", is_staff=True)
    with_totp(member)
    client = Client()
    response = client.post(door, {"username": "tove.totp", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302


def test_the_admin_site_opens_after_signing_in_with_the_code():
    member = person("tove.totp", is_staff=True)
    with_totp(member)
    client = Client()
    sign_in_page = client.get("/admin/")["Location"]
    assert sign_in_page.startswith("/admin/login/")
    answer = client.get(sign_in_page)
    assert answer["Location"].startswith("/sign-in/?next=%2Fadmin%2F")
    client.post(answer["Location"], {"login": "tove.totp", "password": PASSWORD})
    response = client.post(SECOND_STEP, {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")
    assert client.get("/admin/").status_code == 200
