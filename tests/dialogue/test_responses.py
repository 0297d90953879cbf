"""Responses to comments: written and replaced by the purchaser's staff, with a reason and
optionally the clause of a later version that changed; drafts hidden until the close."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from commissioning.errors import Conflict
from commissioning.models import Event
from dialogue.models import Comment, Response
from dialogue.services import responses
from tests.contracts.factories import ContractFactory
from tests.contracts.rulebook_factories import rulebook_with_version
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    clause,
    close,
    next_version,
    scene,
)
from tests.factories import ProgrammeFactory


@pytest.fixture
def setting(world):
    return scene(world)


def put(client, comment, purchaser, data):
    return client.put(
        f"/api/v1/comments/{comment.pk}/response/",
        data,
        format="json",
        HTTP_X_ACTING_FOR=str(purchaser.pk),
    )


def response_events(verb=None):
    events = Event.objects.filter(subject_type__model="response")
    return events.filter(verb=verb) if verb else events


GOOD = {"outcome": "partly_accepted", "reason": "Opening hours to 18:00, not 19:00."}


def test_an_officer_answers_an_unanswered_comment(client_for, setting):
    comment = setting.general_comment
    answer = put(client_for("officer_a"), comment, setting.purchaser_a, GOOD)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["outcome"] == "partly_accepted"
    assert body["reason"] == GOOD["reason"]
    assert body["changed_clause"] is None
    assert body["published"] is False
    saved = Response.objects.get(comment=comment)
    assert saved.written_by == setting.people["officer_a"]
    event = response_events("response.created").get()
    assert event.purchaser == setting.purchaser_a
    assert event.acting_for == setting.purchaser_a
    assert event.after["outcome"] == "partly_accepted"


def test_putting_again_replaces_the_response_and_keeps_the_old_one_in_the_event(
    client_for, setting
):
    answer = put(client_for("manager_a"), setting.provider_comment, setting.purchaser_a, GOOD)
    assert answer.status_code == 200, answer.json()
    setting.response.refresh_from_db()
    assert setting.response.outcome == "partly_accepted"
    assert Response.objects.filter(comment=setting.provider_comment).count() == 1
    event = response_events("response.updated").get()
    assert event.before["outcome"] == "accepted"
    assert event.after["outcome"] == "partly_accepted"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_blank_reason_is_refused_on_the_field(client_for, setting, reason):
    answer = put(
        client_for("officer_a"),
        setting.general_comment,
        setting.purchaser_a,
        {"outcome": "noted", "reason": reason},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "reason_missing"
    assert "reason" in error["fields"]
    assert not Response.objects.filter(comment=setting.general_comment).exists()
    assert not response_events().exists()


def test_an_unknown_outcome_is_refused_on_the_field(client_for, setting):
    answer = put(
        client_for("officer_a"),
        setting.general_comment,
        setting.purchaser_a,
        {"outcome": "rejected", "reason": "No."},
    )
    assert answer.status_code == 400
    assert "outcome" in answer.json()["error"]["fields"]
    assert not Response.objects.filter(comment=setting.general_comment).exists()


def test_an_unknown_field_is_refused(client_for, setting):
    answer = put(
        client_for("officer_a"),
        setting.general_comment,
        setting.purchaser_a,
        {**GOOD, "outcom": "noted"},
    )
    assert answer.status_code == 400
    assert "outcom" in answer.json()["error"]["fields"]


def test_the_changed_clause_may_be_a_clause_of_the_next_version(client_for, setting):
    version_2 = next_version(setting.consultation, changes={"2": "Open 08:00 to 18:00."})
    changed = version_2.clauses.get(key="2")
    answer = put(
        client_for("officer_a"),
        setting.provider_comment,
        setting.purchaser_a,
        {**GOOD, "changed_clause": changed.pk},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["changed_clause"] == {
        "id": changed.pk,
        "key": "2",
        "heading": changed.heading,
        "version": {"id": version_2.pk, "number": 2},
    }
    setting.response.refresh_from_db()
    assert setting.response.changed_clause == changed


def test_a_changed_clause_may_be_cleared_with_null(client_for, setting):
    version_2 = next_version(setting.consultation)
    setting.response.changed_clause = version_2.clauses.get(key="2")
    setting.response.save()
    answer = put(
        client_for("officer_a"),
        setting.provider_comment,
        setting.purchaser_a,
        {**GOOD, "changed_clause": None},
    )
    assert answer.status_code == 200
    setting.response.refresh_from_db()
    assert setting.response.changed_clause is None


@pytest.mark.parametrize("which", ["consulted", "other_rulebook", "unknown"])
def test_a_changed_clause_not_of_a_later_version_is_refused_on_the_field(
    client_for, setting, which
):
    if which == "consulted":
        target = clause(setting.consultation, "2").pk
    elif which == "other_rulebook":
        other = rulebook_with_version(
            ProgrammeFactory(purchaser=setting.purchaser_a), clauses=[("2", "Hours", "x")]
        )
        target = other.clauses.get().pk
    else:
        target = 999_999
    answer = put(
        client_for("officer_a"),
        setting.general_comment,
        setting.purchaser_a,
        {**GOOD, "changed_clause": target},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    # An id that names no clause the person sees is refused by the field, as every id in a
    # body (commissioning/api/fields.py); one that names a clause is judged by the service.
    assert error["code"] == ("invalid" if which == "unknown" else "invalid_changed_clause")
    assert list(error["fields"]) == ["changed_clause"]
    assert not Response.objects.filter(comment=setting.general_comment).exists()
    assert not response_events().exists()


def test_a_withdrawn_comment_may_still_be_answered(client_for, setting):
    withdrawn = CommentFactory(
        consultation=setting.consultation,
        organisation=setting.provider_in_a,
        status=Comment.Status.WITHDRAWN,
    )
    answer = put(client_for("officer_a"), withdrawn, setting.purchaser_a, GOOD)
    assert answer.status_code == 201
    assert Response.objects.filter(comment=withdrawn).exists()


def test_a_provider_cannot_answer_its_own_comment(client_for, setting):
    answer = put(client_for("provider_in_a"), setting.general_comment, setting.provider_in_a, GOOD)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "not_purchaser_staff"
    assert not Response.objects.filter(comment=setting.general_comment).exists()


def test_staff_read_a_draft_response_during_the_window(client_for, setting):
    answer = client_for("officer_a").get(
        f"/api/v1/comments/{setting.provider_comment.pk}/response/"
    )
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "accepted"
    assert answer.json()["published"] is False


def test_the_author_does_not_read_a_draft_response_before_the_close(client_for, setting):
    answer = client_for("provider_in_a").get(
        f"/api/v1/comments/{setting.provider_comment.pk}/response/"
    )
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "no_response"


def test_the_author_reads_the_response_once_the_consultation_closed(client_for, setting):
    close(setting.consultation)
    answer = client_for("provider_in_a").get(
        f"/api/v1/comments/{setting.provider_comment.pk}/response/"
    )
    assert answer.status_code == 200
    assert answer.json()["reason"] == setting.response.reason
    assert answer.json()["published"] is True


def test_a_comment_without_a_response_answers_404_even_to_staff(client_for, setting):
    answer = client_for("officer_a").get(f"/api/v1/comments/{setting.general_comment.pk}/response/")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "no_response"


def test_responses_may_be_written_after_the_close(client_for, setting):
    close(setting.consultation)
    answer = put(client_for("officer_a"), setting.general_comment, setting.purchaser_a, GOOD)
    assert answer.status_code == 201


def test_respond_to_comment_refuses_a_second_response(setting):
    with pytest.raises(Conflict) as refused:
        responses.respond_to_comment(
            actor=setting.people["officer_a"],
            acting_for=setting.purchaser_a,
            comment=setting.provider_comment,
            **GOOD,
        )
    assert refused.value.code == "already_answered"
    assert Response.objects.filter(comment=setting.provider_comment).count() == 1


def test_update_response_records_one_event(setting):
    responses.update_response(
        actor=setting.people["officer_a"],
        acting_for=setting.purchaser_a,
        response=setting.response,
        outcome="noted",
        reason="Noted for the next review.",
    )
    assert response_events("response.updated").count() == 1
    assert Response.objects.get(pk=setting.response.pk).outcome == "noted"


def test_a_comment_on_a_contract_version_takes_no_changed_clause(client_for, world):
    contract = ContractFactory(programme=world.programme_a)
    consultation = ConsultationFactory(
        programme=world.programme_a,
        rulebook_version=None,
        contract_version=contract.versions.get(),
    )
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    other = rulebook_with_version(world.programme_a, clauses=[("1", "Scope", "x")])
    answer = put(
        client_for("officer_a"),
        comment,
        world.purchaser_a,
        {**GOOD, "changed_clause": other.clauses.get().pk},
    )
    assert answer.status_code == 400
    assert list(answer.json()["error"]["fields"]) == ["changed_clause"]
    answer = put(client_for("officer_a"), comment, world.purchaser_a, GOOD)
    assert answer.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_officers_answering_the_same_comment_at_once_leave_one_response(world):
    """Eight threads, each with its own connection, PUT a response to one comment at once:
    the comment row lock makes the first create and the others replace, none fails."""
    setting = scene(world)
    comment = setting.general_comment
    person_id = setting.people["officer_a"].pk
    threads_count = 8
    start = threading.Barrier(threads_count)
    outcomes, lock = [], threading.Lock()

    def officer(index):
        try:
            actor = get_user_model().objects.get(pk=person_id)
            start.wait()
            _response, created = responses.save_response(
                actor=actor,
                acting_for=setting.purchaser_a,
                comment=comment,
                outcome="noted",
                reason=f"Reason {index}",
            )
            with lock:
                outcomes.append(created)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False] * (threads_count - 1) + [True]
    assert Response.objects.filter(comment=comment).count() == 1
    assert response_events("response.created").count() == 1
    assert response_events("response.updated").count() == threads_count - 1
