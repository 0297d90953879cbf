"""The server-side window: comment writes are accepted only while the consultation is open,
and nothing is accepted after the close, even under concurrency on PostgreSQL."""

import datetime
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from commissioning.errors import Conflict
from dialogue.models import Comment, CommentRevision, Consultation, CoSignature
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comments, consultations
from tests.dialogue.consultation_factories import (
    CommentFactory,
    ConsultationFactory,
    CoSignatureFactory,
    patch,
    post,
)


def close_now(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    consultation.refresh_from_db()


def submit(client, consultation, organisation):
    return post(
        client,
        f"/api/v1/consultations/{consultation.pk}/comments/",
        organisation,
        {"kind": "question", "body": "Why monthly?"},
    )


def test_a_comment_before_the_consultation_opens_is_refused(client_for, world):
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.SCHEDULED
    )
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consultation_not_open"
    assert not Comment.objects.exists()


def test_a_comment_after_the_close_time_is_refused_naming_the_local_close(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    close_now(consultation)  # passed, though nobody has pressed "close" yet
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "consultation_closed"
    local = consultation_selectors.local_time(consultation, consultation.closes_at)
    assert local.strftime("%Y-%m-%d %H:%M") in error["message"]
    assert error["details"]["time_zone"] == "Europe/Stockholm"
    assert not Comment.objects.exists()


def test_a_comment_on_a_closed_consultation_is_refused(client_for, world):
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.CLOSED
    )
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consultation_closed"


def test_who_may_not_comment_is_told_so_before_being_told_it_is_closed(client_for, world):
    """A politician (or anyone not taking part) learns that they may not comment, not the
    state of a window that was never theirs; the same order for withdrawing and co-signing."""
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.CLOSED
    )
    response = submit(client_for("politician_a"), consultation, world.political_body_a)
    assert response.status_code == 403
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    withdraw = post(
        client_for("manager_a"), f"/api/v1/comments/{comment.pk}/withdraw/", world.purchaser_a
    )
    assert withdraw.status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.SUBMITTED


def test_an_extension_reopens_the_window_for_comments(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    consultations.extend_consultation(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        consultation=consultation,
        closes_at=consultation.closes_at + datetime.timedelta(days=2),
    )
    response = submit(client_for("provider_in_a"), consultation, world.provider_in_a)
    assert response.status_code == 201


@pytest.mark.parametrize("write", ["edit", "withdraw", "cosign", "uncosign"])
def test_every_comment_write_after_the_close_is_refused_and_changes_nothing(
    client_for, world, write
):
    consultation = ConsultationFactory(programme=world.programme_a)
    comment = CommentFactory(consultation=consultation, organisation=world.network, body="Joint")
    if write == "uncosign":
        CoSignatureFactory(comment=comment, organisation=world.network_member)
    close_now(consultation)
    if write == "edit":
        response = patch(
            client_for("network_rep"),
            f"/api/v1/comments/{comment.pk}/",
            world.network,
            {"body": "x"},
        )
    elif write == "withdraw":
        response = post(
            client_for("network_rep"), f"/api/v1/comments/{comment.pk}/withdraw/", world.network
        )
    else:
        response = post(
            client_for("network_member"),
            f"/api/v1/comments/{comment.pk}/{write}/",
            world.network_member,
        )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consultation_closed"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SUBMITTED
    assert CommentRevision.objects.filter(comment=comment).count() == 1
    expected_active = 1 if write == "uncosign" else 0
    assert CoSignature.objects.filter(comment=comment, withdrawn_at__isnull=True).count() == (
        expected_active
    )


# --- the race at the close, on PostgreSQL -------------------------------------------------

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_comments_racing_the_close_are_accepted_before_it_and_refused_after_it(world):
    """20 threads, each with its own connection, post across a close ~1 s away."""
    consultation = ConsultationFactory(programme=world.programme_a)
    closes_at = timezone.now() + datetime.timedelta(seconds=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes_at)
    person_id = world.people["provider_in_a"].pk
    start = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def client(index):
        try:
            actor = get_user_model().objects.get(pk=person_id)
            start.wait()
            # Spread the writes over 0 .. 2 s so that about half land after the close.
            time.sleep(index * 0.1)
            try:
                comment = comments.submit_comment(
                    actor=actor,
                    acting_for=world.provider_in_a,
                    consultation=consultation,
                    kind="question",
                    body=f"Question {index}",
                )
                result = ("accepted", comment.submitted_at, comment.pk)
            except Conflict as refusal:
                result = ("refused", timezone.now(), refusal.code)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    def officer():
        # Presses "close" just after the instant, while writers are still arriving.
        try:
            actor = get_user_model().objects.get(pk=world.people["officer_a"].pk)
            time.sleep(max(0.0, (closes_at - timezone.now()).total_seconds()) + 0.01)
            consultations.close_consultation(
                actor=actor, acting_for=world.purchaser_a, consultation=consultation
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    threads.append(threading.Thread(target=officer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    accepted = [o for o in outcomes if o[0] == "accepted"]
    refused = [o for o in outcomes if o[0] == "refused"]
    assert len(accepted) + len(refused) == THREADS
    assert accepted
    assert refused
    assert all(submitted_at < closes_at for _, submitted_at, _ in accepted)
    assert all(at >= closes_at and code == "consultation_closed" for _, at, code in refused)
    stored = Comment.objects.filter(consultation=consultation)
    assert sorted(stored.values_list("pk", flat=True)) == sorted(pk for *_, pk in accepted)
    assert CommentRevision.objects.filter(comment__in=stored).count() == len(accepted)
    assert not stored.filter(submitted_at__gte=closes_at).exists()


@pytest.mark.django_db(transaction=True)
def test_an_extension_waits_for_comment_writes_in_flight(world):
    """A comment transaction holds FOR SHARE on the consultation; extending takes FOR UPDATE
    and so cannot change the close time under a write that is checking it."""
    from django.db import transaction

    consultation = ConsultationFactory(programme=world.programme_a)
    new_close = consultation.closes_at + datetime.timedelta(days=1)
    holding, release, extended = threading.Event(), threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                comments.share_locked(consultation.pk)
                holding.set()
                release.wait(5)
        finally:
            connection.close()

    def officer():
        try:
            holding.wait(5)
            consultations.extend_consultation(
                actor=get_user_model().objects.get(pk=world.people["officer_a"].pk),
                acting_for=world.purchaser_a,
                consultation=consultation,
                closes_at=new_close,
            )
            extended.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=officer)]
    for thread in threads:
        thread.start()
    holding.wait(5)
    assert not extended.wait(0.5)  # blocked behind the comment write
    release.set()
    for thread in threads:
        thread.join()
    assert extended.is_set()
    consultation.refresh_from_db()
    assert consultation.closes_at == new_close
