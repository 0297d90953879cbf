"""Writing the purchaser's responses in the console, and the "you said, we did" preview.

A response is written or changed through dialogue.services.responses.save_response, the
service of the API's PUT /comments/{id}/response/: during the window it is a draft that the
providers read at the close; after the close it is published at once (and a change is kept in
the audit trail)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from commissioning import policies
from commissioning.errors import DomainError, NotFound
from commissioning.web.acting import page
from contracts.models import Clause
from dialogue.markdown import render_markdown
from dialogue.models import Response
from dialogue.selectors import consultation_summary
from dialogue.selectors import consultations as consultation_selectors
from dialogue.selectors.responses import unanswered
from dialogue.services import responses as response_services
from dialogue.web.console import staff_consultation
from dialogue.web.console_forms import ResponseForm, show_service_refusal


def later_clauses(consultation):
    """The clauses of later versions of the rulebook consulted on: what a response may name
    as changed because of the comment."""
    version = consultation.rulebook_version
    if version is None:
        return Clause.objects.none()
    return (
        Clause.objects.filter(
            version__rulebook_id=version.rulebook_id, version__number__gt=version.number
        )
        .select_related("version")
        .order_by("version__number", "position", "key")
    )


def _comment(request, consultation, comment_id):
    comment = consultation_selectors.comment_get(person=request.user, comment_id=comment_id)
    if comment.consultation_id != consultation.pk:
        raise NotFound()
    return comment


def next_unanswered(consultation, after_id: int):
    """The next comment still without a response, by clause, so that answering every comment
    is one form after another."""
    return (
        consultation.comments.filter(unanswered())
        .exclude(pk=after_id)
        .order_by("clause__position", "clause__key", "submitted_at", "id")
        .first()
    )


def _render(request, consultation, comment, form, status=200):
    revisions = list(comment.revisions.all())
    current = revisions[-1]
    response = Response.objects.filter(comment=comment).first()
    context = {
        "consultation": consultation,
        "comment": comment,
        "current": current,
        "body_html": render_markdown(current.body),
        "response": response,
        "published": policies.responses_published(consultation),
        "form": form,
    }
    return render(request, "dialogue/web/console/response.html", context, status=status)


@page
def response_form(request, consultation_id: int, comment_id: int):
    consultation = staff_consultation(request, consultation_id)
    comment = _comment(request, consultation, comment_id)
    clauses = list(later_clauses(consultation))
    if request.method != "POST":
        existing = Response.objects.filter(comment=comment).first()
        initial = {}
        if existing is not None:
            initial = {
                "outcome": existing.outcome,
                "reason": existing.reason,
                "changed_clause": existing.changed_clause_id,
            }
        form = ResponseForm(initial=initial, later_clauses=clauses)
        return _render(request, consultation, comment, form)
    form = ResponseForm(request.POST, later_clauses=clauses)
    if not form.is_valid():
        return _render(request, consultation, comment, form, status=400)
    try:
        response_services.save_response(
            actor=request.user,
            acting_for=request.acting_for,
            comment=comment,
            **form.cleaned_data,
        )
    except DomainError as error:
        show_service_refusal(form, error, ResponseForm.SERVICE_NAMES)
        return _render(request, consultation, comment, form, status=error.status)
    if policies.responses_published(consultation):
        messages.success(request, _("The response is saved and published."))
    else:
        messages.success(request, _("The response is saved; it publishes at the close."))
    following = next_unanswered(consultation, comment.pk)
    if following is None:
        return redirect("consultation-console", consultation_id=consultation.pk)
    return redirect(
        "consultation-console-response", consultation_id=consultation.pk, comment_id=following.pk
    )


CHANGES = {
    "unchanged": _lazy("Unchanged in the next version"),
    "changed": _lazy("Changed in the next version"),
    "moved": _lazy("Moved in the next version"),
    "removed": _lazy("Removed in the next version"),
}


def _labelled(report: dict) -> dict:
    """The report's codes (outcome, change) in the reader's words."""
    outcomes = dict(Response.Outcome.choices)
    for row in report["clauses"]:
        change = row["next_version"]
        if change is not None:
            change["label"] = CHANGES.get(change["change"], change["change"])
    for comment in [c for row in report["clauses"] for c in row["comments"]] + report["general"]:
        if comment["response"] is not None:
            comment["response"]["label"] = outcomes[comment["response"]["outcome"]]
    return report


@require_GET
@page
def you_said_we_did(request, consultation_id: int):
    """The report the providers read at the close, as it stands now."""
    consultation = staff_consultation(request, consultation_id)
    report = _labelled(
        consultation_summary.you_said_we_did(person=request.user, consultation=consultation)
    )
    return render(
        request,
        "dialogue/web/console/you_said_we_did.html",
        {"consultation": consultation, "report": report},
    )
