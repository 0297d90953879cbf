"""After submitting: a reference and a copy (an email the person may turn off, a printable
page). Withdrawing asks first and can be undone until the close. The history reads as the
comment does, with the words changed between revisions."""

import re

import pytest
from django.core import mail
from django.test import Client

from commissioning.models import Event
from dialogue.models import Comment
from dialogue.services import comments
from notifications.services.preferences import set_delivery
from tests.dialogue.consultation_factories import CommentFactory, post
from tests.dialogue.response_factories import ConsultationFactory, close


@pytest.fixture
def consultation(world):
    return ConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network]
    )


def page(world, actor) -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def comment_url(comment, rest=""):
    return f"/consultations/{comment.consultation_id}/comments/{comment.pk}/{rest}"


def receipts() -> list:
    return [
        m for m in mail.outbox if m.extra_headers.get("X-Notification-Kind") == "comment_receipt"
    ]


def test_the_sent_comment_has_a_stable_reference_and_its_author_an_emailed_copy(
    world, consultation, django_capture_on_commit_callbacks
):
    client = page(world, "provider_in_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/consultations/{consultation.pk}/comments/",
            {"clause": "", "kind": "question", "body": "Gäller det **helger**?"},
            follow=True,
        )
    comment = Comment.objects.get()
    reference = f"R-{comment.submitted_at.year}-{comment.pk:06d}"
    assert comment.reference == reference
    assert reference in response.content.decode()  # the message after sending
    assert re.fullmatch(r"R-\d{4}-\d{6}", reference)
    # Stable: the same after an edit.
    comments.edit_comment(
        actor=world.people["provider_in_a"],
        acting_for=world.provider_in_a,
        comment=comment,
        body="Gäller det helger och helgdagar?",
    )
    comment.refresh_from_db()
    assert comment.reference == reference
    [copy] = receipts()
    assert copy.to[0].split("<")[1].startswith("provider_in_a@")
    assert reference in copy.subject
    assert "Gäller det **helger**?" in copy.body
    assert comment_url(comment, "receipt/") in copy.body
    printable = client.get(comment_url(comment, "receipt/"))
    assert printable.status_code == 200
    html = printable.content.decode()
    assert reference in html
    assert "<strong>helger</strong>" not in html  # the current text (revision 2) only
    assert "helgdagar" in html
    shown = client.get(comment_url(comment)).content.decode()
    assert reference in shown
    assert comment_url(comment, "receipt/") in shown


def test_the_receipt_email_is_an_ordinary_kind_the_person_may_turn_off(
    world, consultation, django_capture_on_commit_callbacks
):
    set_delivery(person=world.people["provider_in_a"], kind="comment_receipt", delivery="off")
    with django_capture_on_commit_callbacks(execute=True):
        page(world, "provider_in_a").post(
            f"/consultations/{consultation.pk}/comments/",
            {"clause": "", "kind": "question", "body": "Och nätter?"},
        )
    assert Comment.objects.count() == 1
    assert receipts() == []


def test_another_organisations_receipt_does_not_exist(world, consultation):
    comment = CommentFactory(consultation=consultation, organisation=world.network)
    answer = page(world, "provider_in_a").get(comment_url(comment, "receipt/"))
    assert answer.status_code == 404


def test_withdrawing_asks_first_and_the_question_changes_nothing(world, consultation):
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    client = page(world, "provider_in_a")
    shown = client.get(comment_url(comment)).content.decode()
    # The comment's page offers a link to the question, not a button that withdraws.
    assert f'href="{comment_url(comment, "withdraw/")}"' in shown
    question = client.get(comment_url(comment, "withdraw/"))
    assert question.status_code == 200
    html = question.content.decode()
    assert f'<form method="post" action="{comment_url(comment, "withdraw/")}">' in html
    assert "Yes, withdraw the comment" in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SUBMITTED
    answer = client.post(comment_url(comment, "withdraw/"))
    assert answer.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.WITHDRAWN


def test_a_withdrawn_comment_is_restored_until_the_close(world, consultation):
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    client = page(world, "provider_in_a")
    client.post(comment_url(comment, "withdraw/"))
    shown = client.get(comment_url(comment)).content.decode()
    assert comment_url(comment, "restore/") in shown
    assert client.post(comment_url(comment, "restore/")).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SUBMITTED
    assert comment.withdrawn_at is None
    event = Event.objects.get(verb="comment.restored")
    assert event.before["status"] == "withdrawn"
    assert event.after["status"] == "submitted"


def test_restoring_after_the_close_is_refused_and_changes_nothing(client_for, world, consultation):
    comment = CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    comments.withdraw_comment(
        actor=world.people["provider_in_a"], acting_for=world.provider_in_a, comment=comment
    )
    close(consultation)
    answer = post(
        client_for("provider_in_a"), f"/api/v1/comments/{comment.pk}/restore/", world.provider_in_a
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "consultation_closed"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.WITHDRAWN
    assert not Event.objects.filter(verb="comment.restored").exists()


def test_only_the_comments_organisation_restores_it(client_for, world, consultation):
    comment = CommentFactory(consultation=consultation, organisation=world.network)
    comments.withdraw_comment(
        actor=world.people["network_rep"], acting_for=world.network, comment=comment
    )
    answer = post(
        client_for("network_member"),
        f"/api/v1/comments/{comment.pk}/restore/",
        world.network_member,
    )
    assert answer.status_code in (403, 404)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.WITHDRAWN


def test_the_history_renders_each_revision_and_the_words_that_changed(world, consultation):
    comment = CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        body="Rapportera **varje månad** till regionen.",
    )
    comments.edit_comment(
        actor=world.people["provider_in_a"],
        acting_for=world.provider_in_a,
        comment=comment,
        body="Rapportera **varje kvartal** till regionen.",
    )
    html = page(world, "provider_in_a").get(comment_url(comment)).content.decode()
    history = html[html.index('id="history-heading"') :]
    # Rendered by the one renderer, not raw Markdown.
    assert "<strong>varje månad</strong>" in history
    assert "<strong>varje kvartal</strong>" in history
    assert "**varje" not in history.split("word-diff")[0]
    # The word diff between revision 1 and 2.
    assert re.search(r"<del>.*månad\*\*.*</del>", history)
    assert re.search(r"<ins>.*kvartal\*\*.*</ins>", history)
    assert "Changes since revision 1" in history
