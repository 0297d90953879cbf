"""Answers carrying one person's data say `Cache-Control: private, no-store`, so that no
shared cache and no browser history keeps them for the next person: every API answer
(token or session), and every page of a signed-in person. Static files keep their caching."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services.tokens import create_api_token

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def assert_private(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


def test_an_api_answer_to_a_token_is_private_and_not_stored(world):
    _token, secret = create_api_token(actor=world.people["manager_a"], name="Cache test")
    response = APIClient().get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert_private(response)


def test_an_api_write_answer_is_private_and_not_stored(client_for, world):
    response = client_for("officer_a").post(
        "/api/v1/programmes/",
        {"name": "Vårdval", "language": "sv", "framework": "se_care_choice"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201
    assert_private(response)


def test_an_api_answer_to_a_session_is_private_and_not_stored(world):
    client = Client()
    client.force_login(world.people["politician_a"])
    response = client.get("/api/v1/memberships/me/")
    assert response.status_code == 200
    assert_private(response)


def test_the_token_endpoints_answer_is_not_stored(world):
    person = world.people["manager_a"]
    person.set_password("correct horse battery staple")
    person.save()
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "manager_a", "password": "correct horse battery staple"},
        format="json",
    )
    assert response.status_code == 200
    assert_private(response)


def test_the_calendar_feed_whose_address_is_the_credential_is_not_stored(client_for):
    url = client_for("provider_in_a").get("/api/v1/calendar/feed/").json()["url"]
    response = APIClient().get(url[url.index("/api/") :])
    assert response.status_code == 200
    assert_private(response)


def test_a_signed_in_persons_page_is_private_and_not_stored(world):
    client = Client()
    client.force_login(world.people["manager_a"])
    response = client.get("/")
    assert response.status_code == 200
    assert_private(response)


def test_static_files_keep_their_caching_even_for_a_signed_in_person(settings, world):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(world.people["manager_a"])
    response = client.get("/static/web/site.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
