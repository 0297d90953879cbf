"""Throttles: writes per person and per anonymous address, the pulse pages per address; a
refusal is 429 with Retry-After (JSON error shape in the API, a page for the pulse)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from commissioning.models import Programme
from tests.workers.pulse_factories import issued_pulse

pytestmark = pytest.mark.django_db

OPEN_WRITE = "/api/v1/test-open-write/"


@pytest.fixture(autouse=True)
def low_rates(settings):
    settings.THROTTLE_RATES = {
        "user_writes": "3/minute",
        "anon_writes": "2/minute",
        "pulse": "2/minute",
    }
    cache.clear()
    yield
    cache.clear()


def create_programme(client, world, name):
    return client.post(
        "/api/v1/programmes/",
        {"name": name, "language": "sv", "framework": "se_care_choice"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def test_a_person_over_the_write_rate_gets_429_and_nothing_is_written(client_for, world):
    client = client_for("officer_a")
    for n in range(3):
        assert create_programme(client, world, f"Vårdval {n}").status_code == 201
    response = create_programme(client, world, "One too many")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert "try again" in error["message"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert not Programme.objects.filter(name="One too many").exists()


def test_reads_are_not_throttled(client_for, world):
    client = client_for("officer_a")
    for n in range(3):
        create_programme(client, world, f"Vårdval {n}")
    for _ in range(5):
        assert client.get("/api/v1/programmes/").status_code == 200


def test_one_persons_writes_do_not_hold_up_another(client_for, world):
    officer = client_for("officer_a")
    for n in range(4):
        create_programme(officer, world, f"Vårdval {n}")
    response = create_programme(client_for("manager_a"), world, "The manager's")
    assert response.status_code == 201


@pytest.mark.urls("tests.hardening.throttle_test_urls")
def test_anonymous_writes_are_counted_per_address():
    client = APIClient()
    for _ in range(2):
        assert client.post(OPEN_WRITE, REMOTE_ADDR="192.0.2.1").status_code == 201
    refused = client.post(OPEN_WRITE, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "Retry-After" in refused
    assert client.post(OPEN_WRITE, REMOTE_ADDR="192.0.2.2").status_code == 201
    assert client.get(OPEN_WRITE, REMOTE_ADDR="192.0.2.1").status_code == 200


@pytest.mark.urls("tests.hardening.throttle_test_urls")
def test_a_forged_forwarded_for_header_does_not_make_a_new_address():
    client = APIClient()
    for n in range(3):
        response = client.post(
            OPEN_WRITE, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    assert response.status_code == 429


def test_the_pulse_page_is_throttled_per_address_with_a_page():
    _pulse, token = issued_pulse()
    client = APIClient()
    for _ in range(2):
        assert client.get(f"/pulse/{token}/", REMOTE_ADDR="192.0.2.1").status_code == 200
    refused = client.get(f"/pulse/{token}/", REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert "Wait" in refused.content.decode()
    assert "Retry-After" in refused
    assert client.get(f"/pulse/{token}/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_guessing_pulse_tokens_is_throttled_too():
    client = APIClient()
    statuses = [client.get(f"/pulse/guess-{n}/").status_code for n in range(3)]
    assert statuses == [404, 404, 429]
