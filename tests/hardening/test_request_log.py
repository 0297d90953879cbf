"""Logs a machine can read (LOG_FORMAT=json): one JSON line per request with its id, the
person's and acting organisation's ids, the status and the duration, and never a name or an
email address; the request id comes back in X-Request-ID, is stored on the Events the request
writes and travels with the tasks it starts into a real worker's log lines."""

import io
import json
import logging.config
import uuid

import pytest
from django.conf import settings as django_settings

from commissioning.models import Event
from config import logs
from tests.workers.conftest import broker, celery_worker, worker_environment  # noqa: F401 (fixtures)
from tests.workers.pulse_factories import issued_pulse
from tests.workers.test_relay_with_worker import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_logs():
    """The JSON set-up of LOG_FORMAT=json, its console writing into a buffer."""
    logging.config.dictConfig(logs.logging_settings("json", "INFO", eager=True))
    buffer = io.StringIO()
    logging.getLogger().handlers[0].setStream(buffer)
    yield buffer
    logging.config.dictConfig(django_settings.LOGGING)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def create_programme(client, world, **headers):
    return client.post(
        "/api/v1/programmes/",
        {"name": "Vårdval Norrsund", "language": "sv", "framework": "se_care_choice"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        **headers,
    )


def test_a_write_logs_one_json_line_with_ids_and_no_names(json_logs, client_for, world):
    person = world.people["officer_a"]
    response = create_programme(client_for("officer_a"), world, HTTP_X_REQUEST_ID="probe-1.a:b")
    assert response.status_code == 201
    assert response["X-Request-ID"] == "probe-1.a:b"

    output = json_logs.getvalue()
    lines = json_lines(output)  # every line parses
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert len(finished) == 1
    line = finished[0]
    assert line["request_id"] == "probe-1.a:b"
    assert line["user_id"] == person.pk
    assert line["acting_for_id"] == world.purchaser_a.pk
    assert line["code"] == 201
    assert line["request"] == "POST /api/v1/programmes/"
    assert line["duration_ms"] >= 0
    assert line["level"] == "info"
    for secret in (person.username, person.email, world.purchaser_a.name, "Vårdval Norrsund"):
        assert secret not in output

    event = Event.objects.get(verb="programme.created")
    assert event.request_id == "probe-1.a:b"


@pytest.mark.parametrize("sent", ["x" * 65, "no spaces", "<script>", ""])
def test_an_implausible_request_id_is_replaced_by_a_new_one(client_for, world, sent):
    response = create_programme(client_for("officer_a"), world, HTTP_X_REQUEST_ID=sent)
    assert response.status_code == 201
    answered = response["X-Request-ID"]
    assert str(uuid.UUID(answered)) == answered
    assert Event.objects.get(verb="programme.created").request_id == answered


def test_every_answer_carries_a_request_id(client):
    assert client.get("/health/live/")["X-Request-ID"]
    assert client.get("/api/v1/programmes/")["X-Request-ID"]  # a 401


def test_a_pulse_token_and_a_query_string_are_not_logged(json_logs, client):
    _pulse, token = issued_pulse()
    assert client.get(f"/pulse/{token}/?name=Anna").status_code == 200
    output = json_logs.getvalue()
    finished = [line for line in json_lines(output) if line["event"] == "request_finished"]
    assert finished[0]["request"] == "GET /pulse/<token>/"
    assert token not in output
    assert "Anna" not in output


def test_text_is_the_default():
    assert django_settings.LOG_FORMAT == "text"
    assert django_settings.LOGGING["formatters"]["default"] == {"format": "%(message)s"}


@pytest.fixture
def json_worker(monkeypatch, request):
    """The real Celery worker of tests/workers/conftest.py, started with LOG_FORMAT=json."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    return request.getfixturevalue("celery_worker")


@pytest.mark.django_db(transaction=True)
def test_a_task_started_by_a_request_logs_the_request_id_in_the_worker(
    json_worker, client_for, world
):
    response = create_programme(client_for("officer_a"), world, HTTP_X_REQUEST_ID="probe-task-1")
    assert response.status_code == 201
    event = Event.objects.get(verb="programme.created")

    def task_lines():
        return [
            line
            for line in json_lines_of(json_worker.output())
            if line.get("request_id") == "probe-task-1"
        ]

    wait_until(
        lambda: any(line["event"] == "task_succeeded" for line in task_lines()),
        message="the worker to log the relay task of the request",
    )
    succeeded = next(line for line in task_lines() if line["event"] == "task_succeeded")
    assert succeeded["task"] == "workers.relay_tasks.relay_event"
    assert succeeded["user_id"] == world.people["officer_a"].pk
    assert succeeded["acting_for_id"] == world.purchaser_a.pk
    assert succeeded["duration_ms"] >= 0
    assert event.request_id == "probe-task-1"


def json_lines_of(output: str) -> list[dict]:
    """The worker's JSON log lines (its start-up banner is printed, not logged)."""
    lines = []
    for text in output.splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue
    return lines


@pytest.mark.parametrize("log_format", logs.FORMATS)
@pytest.mark.parametrize(
    "address",
    [
        "/pulse/{token}/",
        "/pulse/{token}/unsubscribe/",
        "/api/v1/calendar/{token}.ics",
    ],
)
def test_a_token_in_a_refused_address_is_not_logged(client, log_format, address):
    """Django logs every 4xx with its path ("Not Found: /pulse/…/"): a token in the path is
    the credential of a pulse or a calendar feed (an expired link's, or a guess)."""
    token = "Zq7" + uuid.uuid4().hex
    logging.config.dictConfig(logs.logging_settings(log_format, "INFO", eager=True))
    buffer = io.StringIO()
    logging.getLogger().handlers[0].setStream(buffer)
    try:
        response = client.get(address.format(token=token))
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert response.status_code == 404
    output = buffer.getvalue()
    assert "Not Found" in output
    assert token not in output
    assert "<token>" in output
