"""The database connection killed in the middle of a request (pg_terminate_backend from
another connection, right after the request's first INSERT): a clean 503 saying nothing was
saved, nothing half-written, and the next request works again.

Transactional: the kill ends the connection and its transaction, which a test wrapped in a
transaction could not survive."""

import datetime
import time

import pytest
from django.db import connection, connections, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from commissioning.models import Event
from dialogue.models import Comment, CommentRevision, Meeting
from tests.dialogue.consultation_factories import ConsultationFactory
from tests.dialogue.factories import ArenaFactory
from tests.workers.pulse_factories import issued_pulse
from workers.models import PulseAnswer

pytestmark = pytest.mark.django_db(transaction=True)

PULSE_FORM = {
    "involved_early": "4",
    "room_for_dialogue": "4",
    "open_about_finances": "3",
    "equal_treatment": "5",
    "good_faith": "4",
    "free_text": "Bra möte.",
}


def terminate_backend(pid: int) -> None:
    """Kill a server process from a connection of its own, and wait until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} did not end")
    finally:
        other.close()


@pytest.fixture
def kill_after_first_insert_of():
    """kill_after_first_insert_of(Model): the request's connection is killed right after
    its first row of Model is inserted, before the rest of the write."""
    receivers = []

    def arm(model):
        def kill(sender, created, **kwargs):
            post_save.disconnect(kill, sender=model)
            terminate_backend(connection.connection.info.backend_pid)

        post_save.connect(kill, sender=model, weak=False)
        receivers.append((kill, model))

    yield arm
    for receiver, model in receivers:
        post_save.disconnect(receiver, sender=model)


def submit_comment(client, consultation, organisation):
    return client.post(
        f"/api/v1/consultations/{consultation.pk}/comments/",
        {"kind": "objection", "body": "Monthly reporting is too often."},
        format="json",
        HTTP_X_ACTING_FOR=str(organisation.id),
    )


def test_an_api_write_that_loses_its_connection_answers_503_and_saves_nothing(
    client_for, world, kill_after_first_insert_of
):
    consultation = ConsultationFactory(programme=world.programme_a)
    client = client_for("provider_in_a")
    kill_after_first_insert_of(Comment)

    response = submit_comment(client, consultation, world.provider_in_a)

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert "nothing was saved" in error["message"]
    assert "Try again" in error["message"]
    assert response["Retry-After"] == "5"
    assert not Comment.objects.exists()
    assert not CommentRevision.objects.exists()
    assert not Event.objects.filter(verb="comment.submitted").exists()


def test_the_next_api_write_after_a_lost_connection_succeeds(
    client_for, world, kill_after_first_insert_of
):
    consultation = ConsultationFactory(programme=world.programme_a)
    client = client_for("provider_in_a")
    kill_after_first_insert_of(Comment)
    assert submit_comment(client, consultation, world.provider_in_a).status_code == 503

    response = submit_comment(client, consultation, world.provider_in_a)

    assert response.status_code == 201, response.content
    assert Comment.objects.count() == 1
    assert CommentRevision.objects.count() == 1
    assert Event.objects.filter(verb="comment.submitted").count() == 1


def test_a_page_that_loses_its_connection_answers_a_503_page_and_saves_nothing(
    client, kill_after_first_insert_of
):
    _pulse, token = issued_pulse()
    kill_after_first_insert_of(PulseAnswer)

    response = client.post(f"/pulse/{token}/", PULSE_FORM)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "<h1>Briefly unavailable</h1>" in page
    assert "nothing was saved" in page
    assert not PulseAnswer.objects.exists()
    assert not Event.objects.filter(verb="pulse.answered").exists()
    # The person sends the form again, and it is saved.
    again = client.post(f"/pulse/{token}/", PULSE_FORM)
    assert again.status_code == 302
    assert PulseAnswer.objects.count() == 1


def test_a_connection_lost_outside_a_transaction_is_dropped_for_the_next_request(client_for, world):
    """A read on a dead connection (no transaction whose rollback would close it): the
    503 closes it, so the next request connects again instead of failing the same way."""
    client = client_for("officer_a")
    assert client.get("/api/v1/programmes/").status_code == 200
    terminate_backend(connection.connection.info.backend_pid)

    response = client.get("/api/v1/programmes/")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert client.get("/api/v1/programmes/").status_code == 200


def test_the_503_message_follows_the_language_asked_for(
    client_for, world, kill_after_first_insert_of
):
    consultation = ConsultationFactory(programme=world.programme_a)
    kill_after_first_insert_of(Comment)
    response = client_for("provider_in_a").post(
        f"/api/v1/consultations/{consultation.pk}/comments/",
        {"kind": "objection", "body": "Månadsrapportering är för ofta."},
        format="json",
        HTTP_X_ACTING_FOR=str(world.provider_in_a.id),
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 503
    assert "inget sparades" in response.json()["error"]["message"]


def test_a_database_that_refuses_connections_answers_503_until_it_is_back(client_for, monkeypatch):
    """The server gone altogether (a restart, a failover): connecting fails, the answer is
    the same 503, and once it is reachable again requests work without a restart."""
    client = client_for("officer_a")
    connection.close()
    options = connection.settings_dict["OPTIONS"]
    monkeypatch.setitem(options, "host", "/nonexistent-socket-folder")

    response = client.get("/api/v1/programmes/")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    monkeypatch.undo()
    assert client.get("/api/v1/programmes/").status_code == 200


@pytest.fixture
def kill_after_commit_of():
    """kill_after_commit_of(Model): the request's connection is killed right after the
    transaction that inserted the first row of Model commits, before the answer is read
    back from the database."""
    receivers = []

    def arm(model):
        def kill_once_committed(sender, created, **kwargs):
            post_save.disconnect(kill_once_committed, sender=model)
            pid = connection.connection.info.backend_pid
            transaction.on_commit(lambda: terminate_backend(pid))

        post_save.connect(kill_once_committed, sender=model, weak=False)
        receivers.append((kill_once_committed, model))

    yield arm
    for receiver, model in receivers:
        post_save.disconnect(receiver, sender=model)
    # A connection killed after an answer that needed no more queries is still open on
    # this side: closed here, so that the next test connects afresh.
    if connection.connection is not None and not connection.is_usable():
        connection.close()


@pytest.mark.parametrize(("language", "words"), [("en", "was saved"), ("sv", "sparades")])
def test_a_write_committed_before_the_connection_was_lost_says_it_was_saved(
    client_for, world, kill_after_commit_of, language, words
):
    """Committed, then the database lost while the answer was read back: the 503 must not
    say "nothing was saved" (a client would send it again and write it twice). A planned
    meeting's answer is read back after the commit (its invitations, agenda, attendance)."""
    arena = ArenaFactory(purchaser=world.purchaser_a)
    kill_after_commit_of(Meeting)
    starts = timezone.now() + datetime.timedelta(days=10)

    response = client_for("officer_a").post(
        "/api/v1/meetings/",
        {
            "title": "Provider council",
            "arena": arena.pk,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
            "place": "Regionens hus",
        },
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 503, response.content
    error = response.json()["error"]
    assert error["code"] == "saved_unconfirmed"
    assert words in error["message"]
    assert "Retry-After" not in response
    assert Meeting.objects.count() == 1
    assert Event.objects.filter(verb="meeting.created").count() == 1


def test_a_comment_committed_before_the_connection_was_lost_answers_201_from_what_it_wrote(
    client_for, world, kill_after_commit_of
):
    """A comment's answer is made from the rows its write made, not read back: the
    database lost after the commit does not touch it."""
    consultation = ConsultationFactory(programme=world.programme_a)
    kill_after_commit_of(Comment)

    response = client_for("provider_in_a").post(
        f"/api/v1/consultations/{consultation.pk}/comments/",
        {"kind": "objection", "body": "Monthly reporting is too often."},
        format="json",
        HTTP_X_ACTING_FOR=str(world.provider_in_a.id),
    )

    assert response.status_code == 201, response.content
    assert response.json()["body"] == "Monthly reporting is too often."
    connection.close()  # killed after the commit: the checks read on a fresh one
    assert Comment.objects.count() == 1
    assert Event.objects.filter(verb="comment.submitted").count() == 1
