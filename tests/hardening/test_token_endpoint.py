"""The API's token endpoint: a wrong password and an unknown user name get one clear answer
(not "fix the fields"), in the person's language; and attempts are throttled per address,
whatever user name they try, so one password cannot be tried on every name."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, PersonFactory, PurchaserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person():
    person = PersonFactory(username="olle.officer")
    person.set_password(PASSWORD)
    person.save()
    # A token is for a person who may sign in: one with an organisation.
    MembershipFactory(person=person, organisation=PurchaserFactory(), role="officer")
    return person


def ask(username, password, client=None, **extra):
    client = client or APIClient()
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def test_a_wrong_password_gets_a_clear_message_not_invalid_fields(person):
    response = ask("olle.officer", "wrong")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"].startswith("That user name and password do not match an account.")
    assert "invalid fields" not in error["message"]
    assert "non_field_errors" not in response.content.decode()


def test_an_unknown_user_name_gets_exactly_the_same_answer(person):
    wrong_password = ask("olle.officer", "wrong")
    unknown_name = ask("nobody.here", "wrong")
    assert unknown_name.status_code == wrong_password.status_code
    assert unknown_name.json() == wrong_password.json()


@pytest.mark.parametrize(
    ("language", "words"),
    [("sv", "Användarnamnet och lösenordet"), ("nb", "Brukernavnet og passordet")],
)
def test_the_message_follows_the_language_asked_for(person, language, words):
    response = ask("olle.officer", "wrong", HTTP_ACCEPT_LANGUAGE=language)
    assert words in response.json()["error"]["message"]


def test_the_right_password_still_gets_a_token(person):
    response = ask("olle.officer", PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"]


def test_a_missing_password_is_still_a_field_to_fix():
    response = ask("olle.officer", "")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["password"]


def test_trying_many_user_names_from_one_address_gets_429_with_retry_after(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "5/minute"}
    statuses = [ask(f"name-{n}", "Summer2026!").status_code for n in range(6)]
    assert statuses == [400] * 5 + [429]
    refused = ask("name-6", "Summer2026!")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_another_address_is_counted_on_its_own(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "2/minute"}
    for n in range(3):
        ask(f"name-{n}", "Summer2026!", REMOTE_ADDR="192.0.2.1")
    assert ask("name-9", "Summer2026!", REMOTE_ADDR="192.0.2.2").status_code == 400


def test_a_forged_forwarded_for_header_does_not_make_a_new_address(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "2/minute"}
    statuses = [
        ask(
            f"name-{n}", "Summer2026!", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_the_default_rate_is_ten_a_minute():
    statuses = [ask(f"name-{n}", "Summer2026!").status_code for n in range(11)]
    assert statuses.count(429) == 1
    assert statuses[-1] == 429
