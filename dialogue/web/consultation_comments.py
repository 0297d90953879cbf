"""One comment's page: its text and history, the response once published, and the writes an
organisation makes on it until the close (edit as a new revision, withdraw, co-sign a
network's joint comment). Each write is one service call; a refusal is shown on the page
beside the form or button it concerns, with its status, and nothing is changed.

A comment the person may not read answers 404 whatever the address says: it is looked up
through the selector that applies the consultation's visibility, and must belong to the
consultation named in the address."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning import policies
from commissioning.errors import DomainError, NotFound
from commissioning.web.acting import page
from commissioning.web.forms import show_refusal
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comment_stages, comments
from dialogue.web.comment_history import history
from dialogue.web.consultation_display import countdown, window_open
from dialogue.web.consultation_forms import CommentTextForm
from dialogue.web.consultations import comment_view, networks_of, responses_of


def _comment(request, consultation_id: int, comment_id: int):
    comment = consultation_selectors.comment_get(person=request.user, comment_id=comment_id)
    if comment.consultation_id != consultation_id:
        raise NotFound()
    return comment


def render_comment(request, comment, *, form=None, action_error=None, status=200):
    consultation = comment.consultation
    is_open = window_open(consultation)
    view = comment_view(
        comment,
        acting_for=request.acting_for,
        networks=networks_of(request.acting_for),
        is_open=is_open,
        answers=responses_of(request.user, consultation, [comment.id]),
    )
    if form is None:
        form = CommentTextForm(
            initial={
                "body": view["current"].body,
                "suggested_wording": view["current"].suggested_wording,
            }
        )
    context = {
        "consultation": consultation,
        "countdown": countdown(consultation),
        "window_open": is_open,
        "view": view,
        "form": form,
        "action_error": action_error,
        "responses_readable": policies.may_read_responses(request.user, consultation),
        "rows": history(view["revisions"]),
        "may_restore": is_open
        and view["own"]
        and view["comment"].status == view["comment"].Status.WITHDRAWN,
    }
    return render(request, "dialogue/web/consultation_comment.html", context, status=status)


@require_GET
@page
def comment_page(request, consultation_id: int, comment_id: int):
    return render_comment(request, _comment(request, consultation_id, comment_id))


@require_POST
@page
def edit_comment(request, consultation_id: int, comment_id: int):
    comment = _comment(request, consultation_id, comment_id)
    form = CommentTextForm(request.POST)
    form.is_valid()  # nothing to check before the service: all fields are free text
    try:
        comments.edit_comment(
            actor=request.user,
            acting_for=request.acting_for,
            comment=comment,
            body=form.cleaned_data["body"],
            suggested_wording=form.cleaned_data["suggested_wording"],
        )
    except DomainError as error:
        show_refusal(form, error)
        return render_comment(request, comment, form=form, status=error.status)
    messages.success(request, _("Your comment was changed; the earlier text is kept."))
    return redirect("consultation-comment-page", consultation_id, comment.pk)


def _act(request, consultation_id, comment_id, service, done_message):
    comment = _comment(request, consultation_id, comment_id)
    try:
        service(actor=request.user, acting_for=request.acting_for, comment=comment)
    except DomainError as error:
        return render_comment(
            request, comment, action_error=force_str(error.message), status=error.status
        )
    messages.success(request, done_message)
    return redirect("consultation-comment-page", consultation_id, comment.pk)


@require_http_methods(["GET", "POST"])
@page
def withdraw_comment(request, consultation_id: int, comment_id: int):
    """GET asks to confirm (a page, so it works without JavaScript); POST withdraws."""
    if request.method == "GET":
        comment = _comment(request, consultation_id, comment_id)
        view = comment_view(
            comment,
            acting_for=request.acting_for,
            networks=set(),
            is_open=window_open(comment.consultation),
            answers={},
        )
        if not view["may_change"]:
            return redirect("consultation-comment-page", consultation_id, comment.pk)
        context = {"consultation": comment.consultation, "view": view}
        return render(request, "dialogue/web/consultation_withdraw.html", context)
    return _act(
        request,
        consultation_id,
        comment_id,
        comments.withdraw_comment,
        _(
            "Your comment was withdrawn; its history is kept. You can restore it until the "
            "consultation closes."
        ),
    )


@require_POST
@page
def restore_comment(request, consultation_id: int, comment_id: int):
    return _act(
        request,
        consultation_id,
        comment_id,
        comment_stages.restore_comment,
        _("Your comment was restored; it is part of the consultation again."),
    )


@require_GET
@page
def comment_receipt(request, consultation_id: int, comment_id: int):
    """The printable receipt: the reference, when it was received, and the text."""
    comment = _comment(request, consultation_id, comment_id)
    current = list(comment.revisions.all())[-1]
    context = {"consultation": comment.consultation, "comment": comment, "current": current}
    return render(request, "dialogue/web/consultation_receipt.html", context)


@require_POST
@page
def cosign_comment(request, consultation_id: int, comment_id: int):
    return _act(
        request,
        consultation_id,
        comment_id,
        comments.cosign_comment,
        _("You co-signed the network's comment."),
    )


@require_POST
@page
def uncosign_comment(request, consultation_id: int, comment_id: int):
    return _act(
        request,
        consultation_id,
        comment_id,
        comments.uncosign_comment,
        _("Your signature was withdrawn."),
    )
