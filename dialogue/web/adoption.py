"""The adoption page of a consultation's rulebook version: what still blocks adoption (the
consultation not closed, unanswered comments by clause, open gating milestones), each with a
link to where it is dealt with, and the manager's button. A refused adoption comes back with
the refusal and the blockers first.

Adopting is contracts.services.rulebooks.adopt_rulebook_version, the service of the API's
POST /rulebook-versions/{id}/adopt/, which checks every gate again."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.errors import DomainError, NotFound
from commissioning.selectors.milestones import open_gating_milestones
from commissioning.web.acting import allowed, page
from contracts.models import RulebookVersion
from contracts.services import rulebooks as rulebook_services
from dialogue.selectors.responses import unanswered_comments
from dialogue.web.console import staff_consultation
from dialogue.web.console_forms import refusal_form

VersionStatus = RulebookVersion.Status


def blockers(consultation) -> dict:
    """What stands between the version and its adoption, in the order to deal with it."""
    version = consultation.rulebook_version
    comments = list(
        unanswered_comments(rulebook_version=version)
        .select_related("clause", "organisation")
        .order_by("clause__position", "clause__key", "submitted_at", "id")
    )
    by_clause: list[dict] = []
    for comment in comments:
        key = comment.clause.key if comment.clause else None
        if not by_clause or by_clause[-1]["key"] != key:
            heading = comment.clause.heading if comment.clause else ""
            by_clause.append({"key": key, "heading": heading, "comments": []})
        by_clause[-1]["comments"].append(comment)
    milestones = list(open_gating_milestones(programme=consultation.programme))
    not_closed = version.status in (VersionStatus.DRAFT, VersionStatus.IN_CONSULTATION)
    return {
        "not_closed": not_closed,
        "by_clause": by_clause,
        "unanswered": len(comments),
        "milestones": milestones,
        "any": not_closed or bool(comments) or bool(milestones),
    }


def _render(request, consultation, refusal=None, status=200):
    version = consultation.rulebook_version
    context = {
        "consultation": consultation,
        "version": version,
        "blockers": blockers(consultation),
        "answered": version.consultations.aggregate(n=Count("comments__response"))["n"],
        "adopted": version.status in (VersionStatus.ADOPTED, VersionStatus.SUPERSEDED),
        "may_adopt": allowed(
            policies.require_purchaser_manager,
            request.user,
            request.acting_for,
            consultation.purchaser,
        ),
        "refusal": refusal,
    }
    return render(request, "dialogue/web/console/adoption.html", context, status=status)


@page
def adoption(request, consultation_id: int):
    consultation = staff_consultation(request, consultation_id)
    if consultation.rulebook_version_id is None:
        # A contract version is not adopted: there is no such page for it.
        raise NotFound()
    if request.method != "POST":
        return _render(request, consultation)
    try:
        rulebook_services.adopt_rulebook_version(
            actor=request.user, acting_for=request.acting_for, version=consultation.rulebook_version
        )
    except DomainError as error:
        if error.status == 403:
            raise
        refusal = refusal_form(error)
        consultation.rulebook_version.refresh_from_db()
        return _render(request, consultation, refusal=refusal, status=error.status)
    messages.success(
        request,
        _("Version %(number)s is adopted.") % {"number": consultation.rulebook_version.number},
    )
    return redirect("consultation-console-adoption", consultation_id=consultation.pk)
