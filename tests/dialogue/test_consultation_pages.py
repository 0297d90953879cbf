"""The provider representative's consultation pages: reading a draft rulebook with its changes,
commenting on a span through the page, editing and withdrawing until the close, co-signing,
and the refusals (after the close, someone else's private comment, CSRF)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from dialogue.models import Comment, CommentRevision, Consultation, CoSignature
from dialogue.web.consultation_display import countdown
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    ResponseFactory,
    clause,
    close,
    next_version,
)
from tests.workers.pulse_factories import TrustPulseFactory
from workers.models import PulseAnswer


@pytest.fixture
def page_for(world):
    """A browser-like client signed in as one actor of the world."""

    def make(actor: str, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(world.people[actor])
        return client

    return make


@pytest.fixture
def consultation(world):
    return ConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network]
    )


def url(consultation, rest=""):
    return f"/consultations/{consultation.pk}/{rest}"


def comment_url(comment, rest=""):
    return f"/consultations/{comment.consultation_id}/comments/{comment.pk}/{rest}"


def close_time_passed(consultation):
    """The close time has passed, though nobody has pressed "close" yet."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def another_consultation(world, consultation, number=2, **fields):
    """A consultation on the next version of the same rulebook (one rulebook a programme)."""
    return ConsultationFactory(
        programme=world.programme_a,
        rulebook_version=next_version(consultation, number=number),
        invited=[world.provider_in_a],
        **fields,
    )


REPORTING = "The provider reports waiting times every month."  # clause 3 of the factory


# --- reading ------------------------------------------------------------------------------


def test_the_list_shows_open_consultations_first_with_their_close(page_for, world, consultation):
    closed = close(another_consultation(world, consultation, title="Closed one"))
    response = page_for("provider_in_a").get("/consultations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(consultation.title) < html.index(closed.title)
    assert "Closes in 2 days" in html


def test_the_list_leaves_out_consultations_of_programmes_the_provider_is_not_in(
    page_for, consultation
):
    response = page_for("provider_outside").get("/consultations/")
    assert response.status_code == 200
    assert consultation.title not in response.content.decode()


def test_a_provider_outside_the_programme_gets_404_for_the_consultation(page_for, consultation):
    assert page_for("provider_outside").get(url(consultation)).status_code == 404


def test_the_page_shows_the_clauses_and_the_countdown(page_for, consultation):
    response = page_for("provider_in_a").get(url(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<span>{REPORTING}</span>" in html
    assert 'tabindex="0"' in html
    assert "Closes in 2 days" in html
    assert 'aria-live="polite"' in html
    assert 'id="comment-form"' in html


def test_the_page_marks_the_changes_from_the_previous_version(page_for, world, consultation):
    second = next_version(consultation, changes={"3": REPORTING.replace("month", "quarter")})
    on_second = ConsultationFactory(
        programme=world.programme_a, rulebook_version=second, invited=[world.provider_in_a]
    )
    html = page_for("provider_in_a").get(url(on_second)).content.decode()
    assert '<del class="removed" data-removed>month.</del>' in html
    assert '<ins class="added">quarter.</ins>' in html


def test_a_politician_reads_the_consultation_but_gets_no_comment_form(page_for, consultation):
    CommentFactory(
        consultation=consultation, organisation=consultation.invitations.first().organisation
    )
    response = page_for("politician_a").get(url(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comment-form"' not in html
    assert "Opening hours are too short." not in html  # nothing before the close


def test_a_provider_reads_its_own_comment_but_not_another_private_one(
    page_for, world, consultation
):
    CommentFactory(consultation=consultation, organisation=world.provider_in_a, text="Ours.")
    CommentFactory(consultation=consultation, organisation=world.network, text="The network's.")
    html = page_for("provider_in_a").get(url(consultation)).content.decode()
    assert "Ours." in html
    assert "The network&#x27;s." not in html
    assert "The network's." not in html


def test_the_page_is_in_the_readers_language_with_the_countdown_in_words(page_for, consultation):
    html = page_for("provider_in_a").get(url(consultation), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Stänger om 2 dagar" in html.content.decode()


def test_the_countdown_answers_with_the_time_left(page_for, consultation):
    answer = page_for("provider_in_a").get(url(consultation, "countdown/")).json()
    assert answer["stage"] == "days"
    assert answer["closed"] is False
    assert answer["text"].startswith("Closes in 2 days")


@pytest.mark.parametrize(
    ("left", "stage", "words"),
    [
        (datetime.timedelta(days=3, hours=4, minutes=5), "days", "Closes in 3 days 4 hours ("),
        (datetime.timedelta(hours=5, minutes=7), "hours", "Closes in 5 hours 7 minutes ("),
        (datetime.timedelta(minutes=1, seconds=30), "minutes", "Closes in 1 minute ("),
        (datetime.timedelta(seconds=-1), "closed", "Closed "),
    ],
)
def test_the_countdown_changes_stage_only_at_a_day_an_hour_and_the_close(
    consultation, left, stage, words
):
    now = timezone.now()
    consultation.closes_at = now + left
    said = countdown(consultation, now)
    assert said["stage"] == stage
    assert said["text"].startswith(words)


# --- commenting ---------------------------------------------------------------------------


def test_posting_a_span_through_the_page_creates_an_anchored_comment(page_for, world, consultation):
    target = clause(consultation, "3")
    start = REPORTING.index("every month")
    response = page_for("provider_in_a").post(
        url(consultation, "comments/"),
        {
            "clause": target.pk,
            "span_start": start,
            "span_end": start + len("every month"),
            "quoted_text": "every month",
            "kind": "objection",
            "body": "Monthly is **too often**.",
        },
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url(consultation)}#comment-{comment.pk}"
    assert (comment.clause, comment.span_start, comment.span_end, comment.quoted_text) == (
        target,
        start,
        start + len("every month"),
        "every month",
    )
    assert comment.organisation == world.provider_in_a
    assert comment.revisions.get().body == "Monthly is **too often**."


def test_a_network_representative_drafts_a_joint_comment_through_the_page(
    page_for, world, consultation
):
    response = page_for("network_rep").post(
        url(consultation, "comments/"),
        {"kind": "proposal", "body": "Together.", "suggested_wording": "Quarterly."},
    )
    draft = Comment.with_drafts.get()
    assert draft.organisation == world.network
    # A draft first: circulated to the members, then submitted (test_joint_comment_drafts.py).
    assert draft.status == Comment.Status.DRAFT
    assert response.url == url(consultation, f"drafts/{draft.pk}/")
    assert not Comment.objects.exists()


def test_a_quote_that_is_not_the_span_is_refused_on_the_form(page_for, consultation):
    response = page_for("provider_in_a").post(
        url(consultation, "comments/"),
        {
            "clause": clause(consultation, "3").pk,
            "span_start": 0,
            "span_end": 5,
            "quoted_text": "Other",
            "kind": "objection",
            "body": "Kept text.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "select the words again to quote them exactly" in html
    assert "Kept text." in html
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_once_beside_the_comment_field(page_for, consultation):
    response = page_for("provider_in_a").post(
        url(consultation, "comments/"), {"clause": "", "kind": "question", "body": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    # In the summary (a link to the field) and beside the field: the same words, no other.
    assert html.count("Write the comment: it is empty.") == 2
    assert '<a href="#id_body">Your comment: Write the comment: it is empty.</a>' in html
    assert "the body is empty" not in html  # the API's message, not repeated on the page
    assert "Required." not in html
    assert 'id="error-summary"' in html
    assert 'tabindex="-1"' in html
    assert not Comment.objects.exists()


def test_a_comment_on_the_whole_clause_has_no_span(page_for, consultation):
    target = clause(consultation, "2")
    page_for("provider_in_a").post(
        url(consultation, "comments/"), {"clause": target.pk, "kind": "question", "body": "Why?"}
    )
    comment = Comment.objects.get()
    assert comment.clause == target
    assert comment.span_start is None


def test_after_the_close_a_new_comment_is_refused_with_the_message_and_the_text_kept(
    page_for, consultation
):
    close_time_passed(consultation)
    response = page_for("provider_in_a").post(
        url(consultation, "comments/"), {"kind": "question", "body": "Too late, sadly."}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "comments and signatures can no longer be added or changed" in html
    assert "Too late, sadly." in html
    assert not Comment.objects.exists()


def test_the_preview_renders_sanitised_html(page_for, consultation):
    response = page_for("provider_in_a").post(
        url(consultation, "preview/"),
        {"body": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_the_preview_of_a_consultation_one_cannot_see_is_404(page_for, consultation):
    response = page_for("provider_outside").post(url(consultation, "preview/"), {"body": "x"})
    assert response.status_code == 404


# --- one's own comment --------------------------------------------------------------------


@pytest.fixture
def own_comment(world, consultation):
    return CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        clause=clause(consultation, "3"),
        submitted_at=timezone.now(),
        text="First text.",
    )


def test_editing_an_own_comment_adds_a_revision(page_for, own_comment):
    response = page_for("provider_in_a").post(
        comment_url(own_comment, "edit/"), {"body": "Second text.", "suggested_wording": ""}
    )
    assert response.status_code == 302
    assert list(own_comment.revisions.values_list("body", flat=True)) == [
        "First text.",
        "Second text.",
    ]


def test_withdrawing_an_own_comment_keeps_its_history(page_for, own_comment):
    response = page_for("provider_in_a").post(comment_url(own_comment, "withdraw/"))
    assert response.status_code == 302
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.WITHDRAWN
    assert own_comment.revisions.count() == 1


def test_after_the_close_an_edit_is_refused_on_the_page_and_changes_nothing(page_for, own_comment):
    close_time_passed(own_comment.consultation)
    response = page_for("provider_in_a").post(
        comment_url(own_comment, "edit/"), {"body": "Late change.", "suggested_wording": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "can no longer be added or changed" in html
    assert "Late change." in html
    assert CommentRevision.objects.filter(comment=own_comment).count() == 1


def test_after_the_close_a_withdrawal_is_refused_on_the_page(page_for, own_comment):
    close_time_passed(own_comment.consultation)
    response = page_for("provider_in_a").post(comment_url(own_comment, "withdraw/"))
    assert response.status_code == 409
    assert "can no longer be added or changed" in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.SUBMITTED


def test_the_own_comment_page_offers_edit_and_withdraw_until_the_close(page_for, own_comment):
    html = page_for("provider_in_a").get(comment_url(own_comment)).content.decode()
    assert "edit/" in html
    assert "withdraw/" in html
    close_time_passed(own_comment.consultation)
    html = page_for("provider_in_a").get(comment_url(own_comment)).content.decode()
    assert "edit/" not in html
    assert "withdraw/" not in html


# --- someone else's comment ---------------------------------------------------------------


@pytest.fixture
def network_comment(world, consultation):
    return CommentFactory(
        consultation=consultation,
        organisation=world.network,
        submitted_at=timezone.now(),
        text="Joint comment.",
    )


@pytest.mark.parametrize("rest", ["", "edit/", "withdraw/", "cosign/"])
def test_another_providers_private_comment_is_404_at_every_address(page_for, network_comment, rest):
    client = page_for("provider_in_a")
    response = client.get(comment_url(network_comment)) if not rest else None
    if rest:
        response = client.post(comment_url(network_comment, rest), {"body": "Hijack."})
    assert response.status_code == 404
    assert network_comment.revisions.count() == 1
    assert network_comment.status == Comment.Status.SUBMITTED


def test_a_comment_under_the_address_of_another_consultation_is_404(page_for, world, own_comment):
    other = another_consultation(world, own_comment.consultation)
    response = page_for("provider_in_a").get(
        f"/consultations/{other.pk}/comments/{own_comment.pk}/"
    )
    assert response.status_code == 404


def test_a_network_member_co_signs_the_networks_comment_through_the_page(
    page_for, world, network_comment
):
    client = page_for("network_member")
    html = client.get(url(network_comment.consultation)).content.decode()
    assert comment_url(network_comment, "cosign/") in html
    response = client.post(comment_url(network_comment, "cosign/"))
    assert response.status_code == 302
    signature = CoSignature.objects.get()
    assert signature.organisation == world.network_member
    assert signature.comment == network_comment


def test_co_signing_after_the_close_is_refused_on_the_page(page_for, network_comment):
    close_time_passed(network_comment.consultation)
    response = page_for("network_member").post(comment_url(network_comment, "cosign/"))
    assert response.status_code == 409
    assert "can no longer be added or changed" in response.content.decode()
    assert not CoSignature.objects.exists()


# --- CSRF ---------------------------------------------------------------------------------


def test_a_comment_without_the_csrf_token_is_refused(page_for, consultation):
    client = page_for("provider_in_a", enforce_csrf_checks=True)
    response = client.post(url(consultation, "comments/"), {"kind": "question", "body": "Hi"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_an_edit_without_the_csrf_token_is_refused(page_for, own_comment):
    client = page_for("provider_in_a", enforce_csrf_checks=True)
    response = client.post(comment_url(own_comment, "edit/"), {"body": "Changed."})
    assert response.status_code == 403
    assert own_comment.revisions.count() == 1


def test_the_comment_form_carries_the_csrf_token(page_for, consultation):
    html = page_for("provider_in_a").get(url(consultation)).content.decode()
    form = html[html.index('id="comment-form"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]


# --- after the close ----------------------------------------------------------------------


def test_after_the_close_each_comment_shows_its_published_response(page_for, world, own_comment):
    ResponseFactory(comment=own_comment, reason="We report quarterly from 2027.")
    client = page_for("provider_in_a")
    assert (
        "We report quarterly from 2027."
        not in client.get(url(own_comment.consultation)).content.decode()
    )
    close(own_comment.consultation)
    html = client.get(url(own_comment.consultation)).content.decode()
    assert "You said, we did" in html
    assert "We report quarterly from 2027." in html


def _pulse(world, consultation, **fields):
    return TrustPulseFactory(
        person=world.people["provider_in_a"],
        organisation=world.provider_in_a,
        purchaser=world.purchaser_a,
        occasion_type=ContentType.objects.get_for_model(Consultation),
        occasion_id=str(consultation.pk),
        **fields,
    )


def test_after_the_close_the_page_links_to_the_persons_trust_pulse(page_for, world, consultation):
    close(consultation)
    _pulse(world, consultation)
    html = page_for("provider_in_a").get(url(consultation)).content.decode()
    assert url(consultation, "pulse/") in html


def test_a_signed_in_provider_answers_the_trust_pulse_from_the_consultation(
    page_for, world, consultation
):
    close(consultation)
    pulse = _pulse(world, consultation)
    scores = {name: 4 for name in PulseAnswer.SCORE_FIELDS}
    response = page_for("provider_in_a").post(
        url(consultation, "pulse/"), {**scores, "free_text": "Better than last year."}
    )
    assert response.status_code == 302
    answer = PulseAnswer.objects.get(pulse=pulse)
    assert answer.good_faith == 4
    assert answer.free_text == "Better than last year."


def test_the_pulse_page_is_404_without_an_open_pulse(page_for, world, consultation):
    close(consultation)
    _pulse(world, consultation, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert page_for("provider_in_a").get(url(consultation, "pulse/")).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries_whatever_the_comments(
    page_for, world, consultation, django_assert_max_num_queries
):
    client = page_for("officer_a")
    client.get(url(consultation))  # sessions, standing and the like warmed up
    for number in range(12):
        CommentFactory(
            consultation=consultation,
            organisation=world.provider_in_a if number % 2 else world.network,
            clause=clause(consultation, str(1 + number % 3)),
            cosigners=[world.network_member] if number % 2 == 0 else [],
        )
    # 17 with the header's unread notifications count, one indexed count on every page; 18
    # with the drafts of joint comments the person reads.
    with django_assert_max_num_queries(18):
        response = client.get(url(consultation))
    assert response.content.decode().count('<article class="comment') == 12
