"""REQUIRE_TWO_FACTOR_FOR_STAFF: purchaser staff set up two-factor before anything else."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from rest_framework.test import APIClient

from accounts.services.tokens import create_api_token
from commissioning.models import Membership
from tests.accounts.two_factor_helpers import PASSWORD, person, totp_code, with_totp

pytestmark = pytest.mark.django_db
Role = Membership.Role

TWO_FACTOR_PAGE = "/account/2fa/"


@pytest.fixture
def required(settings):
    settings.REQUIRE_TWO_FACTOR_FOR_STAFF = True


def signed_in_as(member, **headers) -> Client:
    client = Client(**headers)
    client.force_login(member)
    return client


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER])
def test_staff_without_two_factor_are_taken_to_set_it_up_from_any_page(required, role):
    client = signed_in_as(person("stina.staff", role=role))
    for path in ["/", "/dashboard/", "/meetings/", "/admin/", "/account/password/change/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == TWO_FACTOR_PAGE, path
    page = client.get(TWO_FACTOR_PAGE)
    assert page.status_code == 200
    assert "requires two-factor authentication for commissioning staff" in page.content.decode()


def test_the_reason_is_given_in_the_persons_language(required):
    client = signed_in_as(person("stina.staff"), HTTP_ACCEPT_LANGUAGE="nb")
    client.get("/")
    html = client.get(TWO_FACTOR_PAGE).content.decode()
    assert "krever tofaktorautentisering" in html


def test_what_setting_it_up_needs_stays_open(required):
    client = signed_in_as(person("stina.staff"))
    # allauth asks for the password again before the activation page: both are open.
    activate = client.get("/account/2fa/totp/activate/")
    assert activate.status_code == 302
    assert activate["Location"].startswith("/account/reauthenticate/")
    assert client.get(activate["Location"]).status_code == 200
    confirmed = client.post(activate["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == "/account/2fa/totp/activate/"
    page = client.get("/account/2fa/totp/activate/")
    assert page.status_code == 200
    assert client.get("/account/2fa/webauthn/add/").status_code == 200
    assert client.get("/health/live/").status_code == 200
    switched = client.post("/i18n/setlang/", {"language": "sv", "next": "/account/2fa/"})
    assert switched.status_code == 302
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_setting_up_the_authenticator_app_opens_the_pages(required):
    member = person("stina.staff")
    client = signed_in_as(member)
    client.get("/account/2fa/totp/activate/")
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    page = client.get("/account/2fa/totp/activate/").content.decode()
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    response = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", [Role.PROVIDER_REPRESENTATIVE, Role.POLITICIAN])
def test_people_who_are_not_purchaser_staff_are_not_asked(required, role):
    client = signed_in_as(person("pia.person", role=role))
    assert client.get("/").status_code == 200


def test_nobody_is_asked_when_the_installation_does_not_require_it(settings):
    assert settings.REQUIRE_TWO_FACTOR_FOR_STAFF is False  # the default
    assert signed_in_as(person("stina.staff")).get("/").status_code == 200


def test_staff_with_two_factor_are_not_asked(required):
    member = person("stina.staff")
    with_totp(member)
    assert signed_in_as(member).get("/").status_code == 200


def test_a_page_loaded_by_htmx_sends_the_browser_to_the_two_factor_page(required):
    client = signed_in_as(person("stina.staff"))
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == TWO_FACTOR_PAGE


def test_the_api_refuses_a_signed_in_staff_member_with_a_message(required):
    client = signed_in_as(person("stina.staff"), HTTP_ACCEPT_LANGUAGE="sv")
    response = client.get("/api/v1/memberships/me/")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "two_factor_required"
    assert "tvåfaktorsautentisering" in error["message"]


def test_the_api_refuses_a_staff_members_token_too(required):
    member = person("stina.staff")
    _token, secret = create_api_token(actor=member, name="Integration")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = client.get("/api/v1/memberships/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"
    write = client.post("/api/v1/programmes/", {}, format="json")
    assert write.status_code == 403
    assert write.json()["error"]["code"] == "two_factor_required"
    with_totp(member)
    assert client.get("/api/v1/memberships/me/").status_code == 200


def test_the_last_second_factor_cannot_be_deactivated_while_required(required):
    member = person("stina.staff")
    with_totp(member)
    client = signed_in_as(member)
    client.get("/account/2fa/totp/deactivate/")
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "add a security key before you deactivate" in response.content.decode()
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def test_the_authenticator_app_can_be_deactivated_when_not_required():
    member = person("stina.staff")
    with_totp(member)
    client = signed_in_as(member)
    client.get("/account/2fa/totp/deactivate/")
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
