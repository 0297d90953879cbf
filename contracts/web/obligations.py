"""The obligations calendar: what falls due in a month (and what is overdue, not yet
recorded), with a form on each occurrence to record its fulfilment; and the renewals and
expiries ahead: contracts in force whose period ends soon, with the last day to give notice.

The due dates are contracts.occurrences' (the same series the API checks a fulfilment
against); the fulfilment is recorded by contracts.services.obligations.record_fulfilment,
which checks again who may record it."""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import allowed, page
from commissioning.web.forms import show_refusal
from contracts.models import Contract, Obligation
from contracts.occurrences import occurrences_between
from contracts.selectors import contracts as selectors
from contracts.services import obligations as services
from contracts.web.contract_filters import with_current_terms

# How far back the calendar looks for occurrences not yet recorded, and ahead for ends.
OVERDUE_LOOKBACK = relativedelta(years=2)
ENDINGS_AHEAD_DAYS = 180
IN_FORCE = [Contract.Status.SIGNED, Contract.Status.ACTIVE]


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CalendarForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
    )
    contract = forms.IntegerField(label=gettext_lazy("Contract"), required=False, min_value=1)


class FulfilmentForm(forms.Form):
    due = forms.DateField(widget=forms.HiddenInput, label=gettext_lazy("Occurrence due"))
    fulfilled_on = forms.DateField(label=gettext_lazy("Fulfilled on"), widget=_date_input())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


def _occurrence_form(obligation: Obligation, due: datetime.date, data=None) -> FulfilmentForm:
    key = f"o{obligation.pk}-{due:%Y%m%d}"
    return FulfilmentForm(
        data,
        auto_id=f"id_{key}_%s",
        initial={"due": due, "fulfilled_on": timezone.localdate()},
    )


def _occurrences(request, obligations, start, end, today, failed):
    """(overdue, this month): each a list of rows for the template, in date order."""
    overdue, in_month = [], []
    for obligation in obligations:
        done = {f.due: f for f in obligation.fulfilments.all()}
        may_record = allowed(
            policies.require_obligation_recorder, request.user, request.acting_for, obligation
        )
        lookback = max(obligation.first_due, today - OVERDUE_LOOKBACK)
        dues = set(occurrences_between(obligation, lookback, today - datetime.timedelta(days=1)))
        dues |= set(occurrences_between(obligation, start, end))
        for due in sorted(dues):
            fulfilment = done.get(due)
            form = None
            if fulfilment is None and may_record:
                form = failed.get((obligation.pk, due)) or _occurrence_form(obligation, due)
            row = {"obligation": obligation, "due": due, "fulfilment": fulfilment, "form": form}
            if start <= due <= end:
                in_month.append(row)
            elif fulfilment is None and due < today:
                overdue.append(row)
    key = lambda row: (row["due"], row["obligation"].title)  # noqa: E731
    return sorted(overdue, key=key), sorted(in_month, key=key)


def _endings(request, today):
    """Contracts in force whose current period ends within ENDINGS_AHEAD_DAYS, soonest first,
    with the last day to give notice."""
    ahead = today + datetime.timedelta(days=ENDINGS_AHEAD_DAYS)
    contracts = (
        with_current_terms(selectors.contract_list(person=request.user).prefetch_related(None))
        .filter(status__in=IN_FORCE, current_period_end__gte=today, current_period_end__lte=ahead)
        .order_by("current_period_end", "pk")
    )
    rows = []
    for contract in contracts:
        latest = contract.versions.order_by("-number").only("notice_period_months").first()
        months = latest.notice_period_months if latest else None
        notice_by = contract.current_period_end - relativedelta(months=months) if months else None
        rows.append(
            {"contract": contract, "ends": contract.current_period_end, "notice_by": notice_by}
        )
    return rows


def _render_calendar(request, status=200, failed=None):
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("month", today.strftime("%Y-%m"))
    choice = CalendarForm(data)
    if not choice.is_valid():
        context = {"choice": choice, "refused": True}
        return render(request, "contracts/web/obligation_calendar.html", context, status=400)
    start = (choice.cleaned_data["month"] or today).replace(day=1)
    end = start + relativedelta(months=1) - datetime.timedelta(days=1)
    obligations = selectors.obligation_list(person=request.user).exclude(
        contract__status__in=[Contract.Status.ENDED, Contract.Status.TERMINATED]
    )
    if choice.cleaned_data["contract"]:
        obligations = obligations.filter(contract_id=choice.cleaned_data["contract"])
    overdue, in_month = _occurrences(
        request, obligations.order_by("first_due", "pk"), start, end, today, failed or {}
    )
    context = {
        "choice": choice,
        "today": today,
        "month": start,
        "previous_month": (start - relativedelta(months=1)).strftime("%Y-%m"),
        "next_month": (start + relativedelta(months=1)).strftime("%Y-%m"),
        "overdue": overdue,
        "in_month": in_month,
        "endings": _endings(request, today),
        "error_form": next(iter((failed or {}).values()), None),
    }
    return render(request, "contracts/web/obligation_calendar.html", context, status=status)


@require_GET
@page
def obligation_calendar(request):
    return _render_calendar(request)


@require_POST
@page
def record_fulfilment(request, obligation_id):
    obligation = selectors.obligation_get(person=request.user, obligation_id=obligation_id)
    try:
        due = forms.DateField().clean(request.POST.get("due"))
    except forms.ValidationError:
        due = None
    form = _occurrence_form(obligation, due, request.POST) if due else FulfilmentForm(request.POST)
    if not form.is_valid():
        return _render_calendar(request, status=400, failed={(obligation.pk, due): form})
    try:
        services.record_fulfilment(
            actor=request.user,
            acting_for=request.acting_for,
            obligation=obligation,
            **form.cleaned_data,
        )
    except (RuleViolation, Conflict) as error:
        # Nothing was recorded; the occurrence keeps what was typed, the reason beside it.
        show_refusal(form, error)
        return _render_calendar(request, status=error.status, failed={(obligation.pk, due): form})
    messages.success(
        request,
        _("“%(title)s”, due %(due)s, is recorded as fulfilled.")
        % {"title": obligation.title, "due": due.isoformat()},
    )
    return redirect(f"{reverse('obligation-calendar')}?month={due:%Y-%m}")
