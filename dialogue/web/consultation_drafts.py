"""A network's draft joint comment, page by page: the network drafts it (from the
consultation's comment form), edits it, circulates it to its members and submits it; the
members it was circulated to read it and co-sign it (their home page lists what awaits them).

The same services as the API (dialogue.services.comment_stages, .comments); a draft is read
through dialogue.selectors.comment_drafts, and is answered with 404 for anyone else. Once
submitted, the draft's address leads to the comment's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commissioning.errors import DomainError, NotFound
from commissioning.web.acting import page
from commissioning.web.forms import show_refusal
from dialogue.models import Comment
from dialogue.selectors import comment_drafts
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comment_stages, comments
from dialogue.web.comment_history import history
from dialogue.web.consultation_display import countdown, window_open
from dialogue.web.consultation_forms import CommentTextForm
from dialogue.web.consultations import networks_of


def _draft(request, consultation_id: int, draft_id: int) -> Comment:
    draft = comment_drafts.draft_get(person=request.user, draft_id=draft_id)
    if draft.consultation_id != consultation_id:
        raise NotFound()
    return draft


def render_draft(request, draft, *, form=None, action_error=None, status=200):
    consultation = draft.consultation
    revisions = list(draft.revisions.all())
    own = draft.organisation_id == request.acting_for.id
    signers = {s.organisation_id for s in draft.active_cosignatures}
    member = draft.organisation_id in networks_of(request.acting_for)
    if form is None and own:
        form = CommentTextForm(
            initial={
                "body": revisions[-1].body,
                "suggested_wording": revisions[-1].suggested_wording,
            }
        )
    context = {
        "consultation": consultation,
        "draft": draft,
        "current": revisions[-1],
        "rows": history(revisions),
        "own": own,
        "may_cosign": member and draft.circulated_at is not None,
        "cosigned": request.acting_for.id in signers,
        "window_open": window_open(consultation),
        "countdown": countdown(consultation),
        "form": form,
        "action_error": action_error,
    }
    return render(request, "dialogue/web/consultation_draft.html", context, status=status)


@require_GET
@page
def draft_page(request, consultation_id: int, draft_id: int):
    try:
        draft = _draft(request, consultation_id, draft_id)
    except NotFound:
        # A draft submitted since the link was sent: its comment's page, if the person reads it.
        comment = consultation_selectors.comment_get(person=request.user, comment_id=draft_id)
        if comment.consultation_id != consultation_id:
            raise
        return redirect("consultation-comment-page", consultation_id, comment.pk)
    return render_draft(request, draft)


@require_POST
@page
def edit_draft(request, consultation_id: int, draft_id: int):
    draft = _draft(request, consultation_id, draft_id)
    form = CommentTextForm(request.POST)
    form.is_valid()  # free text: the service says what is missing
    try:
        comments.edit_comment(
            actor=request.user,
            acting_for=request.acting_for,
            comment=draft,
            body=form.cleaned_data["body"],
            suggested_wording=form.cleaned_data["suggested_wording"],
        )
    except DomainError as error:
        show_refusal(form, error)
        return render_draft(request, draft, form=form, status=error.status)
    messages.success(request, _("The draft was changed; the earlier text is kept."))
    return redirect("consultation-draft-page", consultation_id, draft.pk)


def _act(request, consultation_id, draft_id, service, done_message, *, then_comment=False):
    draft = _draft(request, consultation_id, draft_id)
    try:
        service(actor=request.user, acting_for=request.acting_for, comment=draft)
    except DomainError as error:
        return render_draft(
            request, draft, action_error=force_str(error.message), status=error.status
        )
    messages.success(request, done_message)
    if then_comment:
        return redirect("consultation-comment-page", consultation_id, draft.pk)
    return redirect("consultation-draft-page", consultation_id, draft.pk)


@require_POST
@page
def circulate_draft(request, consultation_id: int, draft_id: int):
    return _act(
        request,
        consultation_id,
        draft_id,
        comment_stages.circulate_draft,
        _("The draft was circulated; the members' representatives are asked to co-sign it."),
    )


@require_POST
@page
def submit_draft(request, consultation_id: int, draft_id: int):
    return _act(
        request,
        consultation_id,
        draft_id,
        comment_stages.submit_draft,
        _("The joint comment was submitted. A receipt with its reference was sent to you."),
        then_comment=True,
    )


@require_POST
@page
def cosign_draft(request, consultation_id: int, draft_id: int):
    return _act(
        request,
        consultation_id,
        draft_id,
        comments.cosign_comment,
        _("You co-signed the network's draft; it is submitted by the network."),
    )


@require_POST
@page
def uncosign_draft(request, consultation_id: int, draft_id: int):
    return _act(
        request,
        consultation_id,
        draft_id,
        comments.uncosign_comment,
        _("Your signature was withdrawn."),
    )
