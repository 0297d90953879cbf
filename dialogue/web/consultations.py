"""The provider representative's consultation pages: the list, one consultation read clause by
clause with the changes from the previous version, the countdown, and the new-comment form
with its Markdown preview.

Thin like the API's views (dialogue/api/consultation_views.py): reads through
dialogue.selectors.consultations and the policy module, writes through
dialogue.services.comments. The window is the service's: the page hides its forms once the
close has passed, and a form sent from a page opened before the close is refused by the
service, whose message is shown beside the form with what was typed."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import DomainError
from commissioning.models import Membership, NetworkMembership, Organisation
from commissioning.web.acting import allowed, page, roles_in
from commissioning.web.forms import show_refusal
from contracts.selectors import rulebooks as rulebook_selectors
from dialogue.markdown import render_markdown
from dialogue.models import Consultation, Response
from dialogue.selectors import comment_drafts as draft_selectors
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comment_stages
from dialogue.services import comments as comment_services
from dialogue.web.consultation_display import (
    clauses_with_changes,
    countdown,
    previous_version,
    window_open,
)
from dialogue.web.consultation_forms import COMMENT_FIELD_NAMES, CommentForm, PreviewForm
from dialogue.web.consultation_reading import attach_comments, changed_only, reading
from workers.selectors import pulses as pulse_selectors

Status = Consultation.Status


def _order(consultation: Consultation) -> tuple:
    """Open ones first, closing soonest first; then the scheduled; then the closed, latest
    first."""
    closes = consultation.closes_at.timestamp()
    if window_open(consultation):
        return (0, closes)
    if consultation.status == Status.SCHEDULED:
        return (1, consultation.opens_at.timestamp())
    return (2, -closes)


@require_GET
@page
def consultation_list(request):
    found = sorted(
        consultation_selectors.consultation_list(person=request.user)
        .select_related("rulebook_version__rulebook")
        .prefetch_related(None),  # the list shows no invitations
        key=_order,
    )
    rows = [
        {
            "consultation": consultation,
            "countdown": countdown(consultation),
            "may_run": may_run(request, consultation),
        }
        for consultation in found
    ]
    may_schedule = allowed(
        policies.require_acting_as_purchaser_staff, request.user, request.acting_for
    )
    return render(
        request,
        "dialogue/web/consultation_list.html",
        {"rows": rows, "may_schedule": may_schedule},
    )


def may_run(request, consultation: Consultation) -> bool:
    """Whether the pages offer the staff's console of the consultation (the console asks the
    policy again)."""
    return allowed(
        policies.require_purchaser_staff, request.user, request.acting_for, consultation.purchaser
    )


# --- one consultation -------------------------------------------------------------------


def networks_of(organisation) -> set[int]:
    """The networks the acting provider is a member of: whose joint comments it may co-sign
    (the service decides; the page only offers the button)."""
    return set(
        NetworkMembership.objects.filter(provider=organisation).values_list("network_id", flat=True)
    )


def comment_view(comment, *, acting_for, networks: set[int], is_open: bool, answers) -> dict:
    """What the pages show of one comment the person may read, and what the acting
    organisation may do with it while the window `is_open` (the service decides again)."""
    revisions = list(comment.revisions.all())
    current = revisions[-1]
    signers = {s.organisation_id for s in comment.active_cosignatures}
    submitted = comment.status == comment.Status.SUBMITTED
    own = comment.organisation_id == acting_for.id
    return {
        "comment": comment,
        "current": current,
        "revisions": revisions,
        "body_html": render_markdown(current.body),
        "own": own,
        "may_change": is_open and submitted and own,
        "may_cosign": is_open and submitted and comment.organisation_id in networks,
        "cosigned": acting_for.id in signers,
        "response": answers.get(comment.id),
    }


def responses_of(person, consultation, comment_ids) -> dict[int, Response]:
    """The published responses ("you said, we did"), or none before they are readable."""
    if not policies.may_read_responses(person, consultation):
        return {}
    return {
        response.comment_id: response
        for response in Response.objects.filter(comment_id__in=comment_ids).select_related(
            "changed_clause__version"
        )
    }


def _drafts_first(request) -> bool:
    """A network's comment is drafted, circulated to its members and then submitted; a
    single provider's is submitted at once."""
    return request.acting_for.kind == Organisation.Kind.PROVIDER_NETWORK


def _may_comment(request) -> bool:
    return Membership.Role.PROVIDER_REPRESENTATIVE in roles_in(request, request.acting_for)


def render_consultation(request, consultation, form=None, *, status=200):
    person = request.user
    version = consultation.rulebook_version
    clause_rows, removed, previous = [], [], None
    if version is not None:
        previous = previous_version(version)
        clause_rows, removed = clauses_with_changes(
            person=person, version=version, previous=previous
        )
    clauses = [row["clause"] for row in clause_rows]
    is_open = window_open(consultation)
    if form is None:
        form = CommentForm(clauses=clauses)
    comments = list(consultation_selectors.comment_list(person=person, consultation=consultation))
    answers = responses_of(person, consultation, [c.id for c in comments])
    networks = networks_of(request.acting_for)
    views = [
        comment_view(
            c,
            acting_for=request.acting_for,
            networks=networks,
            is_open=is_open,
            answers=answers,
        )
        for c in comments
    ]
    general = attach_comments(clause_rows, views)
    pulse = None
    if policies.window_closed(consultation):
        pulse = pulse_selectors.open_pulse_of(person=person, occasion=consultation)
    context = {
        "consultation": consultation,
        "version": version,
        "previous": previous,
        "countdown": countdown(consultation),
        "window_open": is_open,
        "show_form": (is_open and _may_comment(request)) or form.is_bound,
        "responses_readable": policies.may_read_responses(person, consultation),
        **reading(clause_rows, previous, changed=changed_only(request, previous)),
        "removed": removed,
        "general": general,
        "form": form,
        "pulse": pulse,
        "may_run": may_run(request, consultation),
        "drafting": _drafts_first(request),
        "drafts": list(draft_selectors.draft_list(person=person, consultation=consultation)),
    }
    return render(request, "dialogue/web/consultation_detail.html", context, status=status)


@require_GET
@page
def consultation_page(request, consultation_id: int):
    consultation = consultation_selectors.consultation_get(
        person=request.user, consultation_id=consultation_id
    )
    return render_consultation(request, consultation)


@require_GET
@page
def consultation_countdown(request, consultation_id: int):
    """The countdown as the server sees it now, for the page's script to show each minute."""
    consultation = consultation_selectors.consultation_get(
        person=request.user, consultation_id=consultation_id
    )
    return JsonResponse(countdown(consultation, timezone.now()))


@require_POST
@page
def post_comment(request, consultation_id: int):
    consultation = consultation_selectors.consultation_get(
        person=request.user, consultation_id=consultation_id
    )
    clauses = []
    if consultation.rulebook_version is not None:
        clauses = list(
            rulebook_selectors.clause_list(
                person=request.user, version=consultation.rulebook_version
            )
        )
    form = CommentForm(request.POST, clauses=clauses)
    if not form.is_valid():
        return render_consultation(request, consultation, form, status=400)
    data = form.cleaned_data
    drafting = _drafts_first(request)
    submit = comment_stages.draft_comment if drafting else comment_services.submit_comment
    try:
        comment = submit(
            actor=request.user,
            acting_for=request.acting_for,
            consultation=consultation,
            kind=data["kind"],
            body=data["body"],
            suggested_wording=data["suggested_wording"],
            **form.anchor(),
        )
    except DomainError as error:
        show_refusal(form, error, COMMENT_FIELD_NAMES)
        return render_consultation(request, consultation, form, status=error.status)
    if drafting:
        messages.success(
            request,
            _("The draft was saved. Circulate it to the members for co-signing, then submit it."),
        )
        return redirect("consultation-draft-page", consultation.pk, comment.pk)
    messages.success(
        request,
        _("Your comment was sent. Its reference is %(reference)s; a receipt was emailed to you.")
        % {"reference": comment.reference},
    )
    url = reverse("consultation-page", args=[consultation.pk])
    return redirect(f"{url}#comment-{comment.pk}")


@require_POST
@page
def preview(request, consultation_id: int):
    """The Markdown as it will be read: rendered and sanitised by the one renderer."""
    consultation_selectors.consultation_get(person=request.user, consultation_id=consultation_id)
    form = PreviewForm(request.POST)
    form.is_valid()
    body = form.cleaned_data.get("body", "")
    return render(
        request,
        "dialogue/web/consultation_preview.html",
        {"html": render_markdown(body), "empty": not body.strip()},
    )
