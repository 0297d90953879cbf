"""The milestone pages: the milestones of the programmes a person sees, overdue first, with
the plan made from the framework's template; a milestone's page, where staff mark it met
with its evidence and a manager waives it with a reason (the policy says who; the service
checks again).

Reads go through commissioning.selectors.milestones, writes through the services the API
calls (commissioning.services.milestones and .evidence)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.selectors import milestones as selectors
from commissioning.selectors import programmes as programme_selectors
from commissioning.services import milestones as services
from commissioning.services.evidence import add_evidence
from commissioning.web.acting import allowed, page
from commissioning.web.forms import show_refusal
from commissioning.web.lists import page_list
from commissioning.web.milestone_forms import (
    MET_FIELD_NAMES,
    ApplyTemplateForm,
    MetForm,
    MilestoneFilters,
    WaiveForm,
)

Status = services.Status

MILESTONE_SORTS = {
    "overdue": gettext_lazy("Overdue first"),
    "title": gettext_lazy("Milestone"),
    "effective_due": gettext_lazy("Due"),
    "status": gettext_lazy("Status"),
}
ORDERINGS = {"overdue": ("overdue_rank", "effective_due", "position")}


def _editable_programmes(request):
    """The programmes whose milestones this person may plan, acting for their organisation."""
    return [
        programme
        for programme in policies.visible_programmes(request.user)
        .filter(purchaser=request.acting_for)
        .order_by("name")
        if allowed(policies.require_programme_editor, request.user, request.acting_for, programme)
    ]


def _render_list(request, status=200, apply_form=None):
    today = timezone.localdate()
    milestones = selectors.milestone_list(person=request.user).annotate(
        overdue_rank=Case(
            When(Q(status=Status.PLANNED) & Q(effective_due__lt=today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    rows = page_list(
        request,
        milestones,
        filters=MilestoneFilters,
        sorts=MILESTONE_SORTS,
        default_sort="overdue",
        orderings=ORDERINGS,
    )
    programmes = _editable_programmes(request)
    if apply_form is None and programmes:
        apply_form = ApplyTemplateForm(programmes=programmes)
    return render(
        request,
        "commissioning/web/milestone_list.html",
        {"rows": rows, "apply_form": apply_form, "today": today},
        status=400 if rows.refused else status,
    )


@require_GET
@page
def milestone_list(request):
    return _render_list(request)


@require_POST
@page
def apply_template(request):
    # Only purchaser staff plan: others get the policy's refusal, as from the API.
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    form = ApplyTemplateForm(request.POST, programmes=_editable_programmes(request))
    if not form.is_valid():
        return _render_list(request, status=400, apply_form=form)
    programme = programme_selectors.programme_get(
        person=request.user, programme_id=form.cleaned_data["programme"]
    )
    try:
        created = services.apply_template(
            actor=request.user, acting_for=request.acting_for, programme=programme
        )
    except (RuleViolation, Conflict) as error:
        show_refusal(form, error)
        return _render_list(request, status=error.status, apply_form=form)
    messages.success(
        request,
        _("%(count)s milestones were planned from the template.") % {"count": len(created)},
    )
    return redirect(f"{reverse('milestone-pages')}?programme={programme.pk}")


def _back_to_contract(request) -> str:
    """The contract page the person came from (a refused finalising links here)."""
    contract = request.GET.get("contract", "")
    return reverse("contract-page", args=[int(contract)]) if contract.isdigit() else ""


def _render_detail(request, milestone, status=200, met_form=None, waive_form=None):
    purchaser = milestone.programme.purchaser
    may_edit = allowed(
        policies.require_programme_editor, request.user, request.acting_for, milestone.programme
    )
    may_waive = allowed(
        policies.require_purchaser_manager, request.user, request.acting_for, purchaser
    )
    return render(
        request,
        "commissioning/web/milestone_detail.html",
        {
            "milestone": milestone,
            "evidence": list(milestone.evidence.all()),
            "may_meet": may_edit and milestone.is_open,
            "may_waive": may_waive and milestone.is_open,
            "met_form": met_form or MetForm(initial={"met_on": timezone.localdate()}),
            "waive_form": waive_form or WaiveForm(),
            "contract_url": _back_to_contract(request),
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@require_GET
@page
def milestone_detail(request, milestone_id):
    milestone = selectors.milestone_get(person=request.user, milestone_id=milestone_id)
    return _render_detail(request, milestone)


def _done(request, milestone, message):
    messages.success(request, message)
    url = reverse("milestone-page", args=[milestone.pk])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@page
def milestone_met(request, milestone_id):
    milestone = selectors.milestone_get(person=request.user, milestone_id=milestone_id)
    # Who may is decided before what was typed is looked at; the services check again.
    policies.require_programme_editor(request.user, request.acting_for, milestone.programme)
    form = MetForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, milestone, status=400, met_form=form)
    data = form.cleaned_data
    try:
        # The evidence and the milestone met together, or neither.
        with transaction.atomic():
            add_evidence(
                actor=request.user,
                acting_for=request.acting_for,
                milestone=milestone,
                kind=data["evidence_kind"],
                title=data["evidence_title"],
                url=data["evidence_url"],
            )
            services.mark_met(
                actor=request.user,
                acting_for=request.acting_for,
                milestone=milestone,
                met_on=data["met_on"],
            )
    except (RuleViolation, Conflict) as error:
        show_refusal(form, error, MET_FIELD_NAMES)
        return _render_detail(request, milestone, status=error.status, met_form=form)
    return _done(request, milestone, _("The milestone is marked met."))


@require_POST
@page
def milestone_waive(request, milestone_id):
    milestone = selectors.milestone_get(person=request.user, milestone_id=milestone_id)
    policies.require_purchaser_manager(
        request.user, request.acting_for, milestone.programme.purchaser
    )
    form = WaiveForm(request.POST)
    form.is_valid()
    try:
        services.waive(
            actor=request.user,
            acting_for=request.acting_for,
            milestone=milestone,
            reason=form.cleaned_data.get("reason", ""),
        )
    except (RuleViolation, Conflict) as error:
        show_refusal(form, error)
        return _render_detail(request, milestone, status=error.status, waive_form=form)
    return _done(request, milestone, _("The milestone is waived; the reason is kept."))
