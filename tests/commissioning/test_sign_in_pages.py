"""Sign-in, sign-out, the language switch and the organisation switch of the pages."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

from commissioning.models import Membership
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, PurchaserFactory

PASSWORD = "a-long-test-password-2026"


@pytest.fixture
def officer(db):
    person = PersonFactory(username="olle.officer")
    person.set_password(PASSWORD)
    person.save()
    MembershipFactory(
        person=person, organisation=PurchaserFactory(name="Region Alpha"), role="officer"
    )
    return person


def sign_in(client, username, password):
    return client.post("/sign-in/", {"login": username, "password": password})


def test_a_page_sends_an_anonymous_visitor_to_the_sign_in_page(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/")


def test_signing_in_with_the_right_password_opens_the_home_page(officer):
    client = Client()
    response = sign_in(client, "olle.officer", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Region Alpha" in page.content.decode()


def test_a_wrong_password_is_refused_with_a_message_and_the_user_name_kept(officer):
    response = sign_in(Client(), "olle.officer", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert "do not match an account" in html
    assert 'value="olle.officer"' in html
    assert 'role="alert"' in html


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_pause_signing_in_even_with_the_right_password(officer):
    client = Client()
    for _ in range(3):
        sign_in(client, "olle.officer", "wrong")
    response = sign_in(client, "olle.officer", PASSWORD)
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="olle.officer").exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_api_token_endpoint_is_paused_too_with_the_json_error_shape(officer):
    client = Client()
    for _ in range(3):
        client.post(
            "/api/v1/auth/token/",
            {"username": "olle.officer", "password": "wrong"},
            "application/json",
        )
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "olle.officer", "password": PASSWORD},
        "application/json",
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_sign_in_without_the_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, "olle.officer", PASSWORD)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_signing_out_takes_a_post_and_ends_the_session(officer):
    client = Client()
    client.force_login(officer)
    # A link (a GET) only asks to confirm: a page cannot sign a person out behind their back.
    confirm = client.get("/sign-out/")
    assert confirm.status_code == 200
    assert client.get("/").status_code == 200
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_the_page_language_follows_the_browser_until_one_is_chosen(officer):
    client = Client()
    client.force_login(officer)
    swedish = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert '<html lang="sv">' in swedish.content.decode()
    assert "Logga ut" in swedish.content.decode()
    client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    norwegian = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert '<html lang="nb">' in norwegian.content.decode()
    assert "Logg ut" in norwegian.content.decode()


def test_a_person_with_two_organisations_switches_between_them(officer):
    provider = ProviderFactory(name="Clinic Beta")
    MembershipFactory(
        person=officer, organisation=provider, role=Membership.Role.PROVIDER_REPRESENTATIVE
    )
    client = Client()
    client.force_login(officer)
    assert 'id="organisation-switch"' in client.get("/").content.decode()
    response = client.post("/organisation/", {"organisation": provider.pk, "next": "/"})
    assert response.status_code == 302
    assert client.session["acting_for"] == provider.pk


def test_switching_to_an_organisation_one_is_not_a_member_of_is_refused(officer):
    stranger = ProviderFactory(name="Not mine")
    client = Client()
    client.force_login(officer)
    client.get("/")
    before = client.session["acting_for"]
    response = client.post("/organisation/", {"organisation": stranger.pk})
    assert response.status_code == 403
    assert "Choose one of your own organisations" in response.content.decode()
    assert client.session["acting_for"] == before


def test_an_account_without_organisation_gets_a_page_saying_whom_to_ask(db):
    loner = PersonFactory(username="loner")
    client = Client()
    client.force_login(loner)
    response = client.get("/")
    assert response.status_code == 403
    assert "belongs to no organisation" in response.content.decode()


def test_an_unknown_page_address_answers_an_html_404(officer):
    client = Client()
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Back to the home page" in response.content.decode()
