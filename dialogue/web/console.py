"""The consultations console of a purchaser's staff: schedule a consultation on a draft
rulebook version, open it, move its close (later, or earlier within the rules: once open, no
sooner than a day from now), close it once its time has passed, and read the comments by
clause with filters and counts.

Reads go through dialogue.selectors and the policy module, writes through
dialogue.services.consultations, as the API's views (dialogue/api/consultation_views.py) do;
what the page offers is asked of the policy, and the service checks again."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import DomainError
from commissioning.web.acting import page
from commissioning.web.lists import page_list
from contracts.models import RulebookVersion
from dialogue.models import Comment, Consultation
from dialogue.selectors import consultations as consultation_selectors
from dialogue.selectors.responses import unanswered
from dialogue.services import consultations as consultation_services
from dialogue.web.console_filters import CommentFilters
from dialogue.web.console_forms import (
    ExtendForm,
    ScheduleForm,
    in_zone,
    refusal_form,
    show_service_refusal,
)
from dialogue.web.consultation_display import countdown

Status = Consultation.Status

COMMENT_SORTS = {
    "clause": _lazy("Clause"),
    "organisation": _lazy("Organisation"),
    "submitted_at": _lazy("Submitted"),
}
COMMENT_ORDERINGS = {
    "clause": ("clause__position", "clause__key", "submitted_at"),
    "organisation": ("organisation__name",),
}


def staff_consultation(request, consultation_id: int) -> Consultation:
    """A consultation the person sees (else 404) and runs: its purchaser's staff, acting for
    it (else the policy's 403)."""
    consultation = consultation_selectors.consultation_get(
        person=request.user, consultation_id=consultation_id
    )
    policies.require_purchaser_staff(request.user, request.acting_for, consultation.purchaser)
    return consultation


def clause_counts(person, consultation: Consultation) -> dict:
    """The comments by clause: how many, how many still unanswered, how many answered (their
    responses publish at the close); general comments under no clause. One query."""
    groups = list(
        policies.visible_comments(person, consultation)
        .values("clause_id", "clause__key", "clause__heading", "clause__position")
        .annotate(
            total=Count("id"),
            withdrawn=Count("id", filter=Q(status=Comment.Status.WITHDRAWN)),
            open=Count("id", filter=unanswered()),
            answered=Count("id", filter=Q(response__isnull=False)),
        )
        .order_by("clause__position", "clause__key")
    )
    return {
        "groups": groups,
        "total": sum(g["total"] for g in groups),
        "unanswered": sum(g["open"] for g in groups),
        "answered": sum(g["answered"] for g in groups),
    }


def _comments(request, consultation):
    comments = consultation_selectors.comment_list(
        person=request.user, consultation=consultation
    ).select_related("response")
    return page_list(
        request,
        comments,
        filters=CommentFilters,
        filter_kwargs={"consultation": consultation},
        sorts=COMMENT_SORTS,
        default_sort="clause",
        orderings=COMMENT_ORDERINGS,
    )


def render_console(request, consultation, *, extend=None, refusal=None, status=200):
    rows = _comments(request, consultation)
    passed = policies.window_closed(consultation)
    is_rulebook = consultation.rulebook_version_id is not None
    context = {
        "consultation": consultation,
        "version": consultation.rulebook_version,
        "countdown": countdown(consultation),
        "rows": rows,
        "comments": [(c, list(c.revisions.all())[-1]) for c in rows.rows],
        "counts": clause_counts(request.user, consultation),
        "published": policies.responses_published(consultation),
        "may_open": consultation.status == Status.SCHEDULED and not passed,
        "may_close": consultation.status == Status.OPEN and passed,
        "may_extend": consultation.status != Status.CLOSED and not passed,
        "extend": extend or ExtendForm(),
        "refusal": refusal,
        "is_rulebook": is_rulebook,
    }
    if rows.refused:
        status = 400
    return render(request, "dialogue/web/console/console.html", context, status=status)


@require_GET
@page
def console(request, consultation_id: int):
    consultation = staff_consultation(request, consultation_id)
    return render_console(request, consultation)


def _transition(request, consultation_id, service, done: str):
    consultation = staff_consultation(request, consultation_id)
    try:
        service(actor=request.user, acting_for=request.acting_for, consultation=consultation)
    except DomainError as error:
        return render_console(
            request, consultation, refusal=refusal_form(error), status=error.status
        )
    messages.success(request, done)
    return redirect("consultation-console", consultation_id=consultation.pk)


@require_POST
@page
def open_consultation(request, consultation_id: int):
    return _transition(
        request,
        consultation_id,
        consultation_services.open_consultation,
        _("The consultation is open: the invited providers can comment now."),
    )


@require_POST
@page
def close_consultation(request, consultation_id: int):
    return _transition(
        request,
        consultation_id,
        consultation_services.close_consultation,
        _("The consultation is closed: the responses are published to the providers."),
    )


@require_POST
@page
def extend_consultation(request, consultation_id: int):
    consultation = staff_consultation(request, consultation_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return render_console(request, consultation, extend=form, status=400)
    closes_at = in_zone(form.cleaned_data["closes_at"], consultation.programme.time_zone)
    try:
        consultation_services.extend_consultation(
            actor=request.user,
            acting_for=request.acting_for,
            consultation=consultation,
            closes_at=closes_at,
        )
    except DomainError as error:
        show_service_refusal(form, error, ExtendForm.SERVICE_NAMES)
        return render_console(request, consultation, extend=form, status=error.status)
    messages.success(request, _("The close time was moved."))
    return redirect("consultation-console", consultation_id=consultation.pk)


# --- scheduling -------------------------------------------------------------------------


def schedulable_versions(request):
    """The acting purchaser's draft rulebook versions with no scheduled or open
    consultation: what may be consulted on (the service decides again)."""
    pending = Consultation.objects.filter(status__in=[Status.SCHEDULED, Status.OPEN]).values(
        "rulebook_version_id"
    )
    return (
        RulebookVersion.objects.filter(
            rulebook__in=policies.visible_rulebooks(request.user),
            rulebook__programme__purchaser=request.acting_for,
            status=RulebookVersion.Status.DRAFT,
        )
        .exclude(id__in=pending.exclude(rulebook_version_id=None))
        .select_related("rulebook__programme")
        .order_by("rulebook__title", "number")
    )


def _render_schedule(request, form, status=200):
    return render(request, "dialogue/web/console/schedule.html", {"form": form}, status=status)


@page
def schedule(request):
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    versions = list(schedulable_versions(request))
    if request.method != "POST":
        return _render_schedule(request, ScheduleForm(versions=versions))
    form = ScheduleForm(request.POST, versions=versions)
    if not form.is_valid():
        return _render_schedule(request, form, status=400)
    data = form.cleaned_data
    version = form.versions[data["rulebook_version"]]
    zone = version.rulebook.programme.time_zone
    try:
        consultation = consultation_services.create_consultation(
            actor=request.user,
            acting_for=request.acting_for,
            rulebook_version=version,
            title=data["title"],
            description=data["description"],
            opens_at=in_zone(data["opens_at"], zone),
            closes_at=in_zone(data["closes_at"], zone),
            visibility=data["visibility"],
            public=data["public"],
        )
    except DomainError as error:
        show_service_refusal(form, error, ScheduleForm.SERVICE_NAMES)
        return _render_schedule(request, form, status=error.status)
    messages.success(request, _("The consultation is scheduled. Open it when it is time."))
    return redirect("consultation-console", consultation_id=consultation.pk)
