"""The contract pages: the list with its filters and sort, and a contract's page with its
parties, versions, the diff between two versions, the status moves it may make next (a
refused move says why and what is allowed, with links to the open gating milestones) and a
new version, which is an amendment once the contract is signed.

Reads go through contracts.selectors and the policy module, writes through the services the
API calls; what a page offers is asked of the policy, and the service checks again."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, NotFound, RuleViolation
from commissioning.selectors.milestones import open_gating_milestones
from commissioning.web.acting import allowed, page
from commissioning.web.forms import show_refusal
from commissioning.web.lists import page_list
from contracts.models import Contract, ContractVersion
from contracts.selectors import contracts as selectors
from contracts.services import contracts as services
from contracts.services import terms as term_services
from contracts.web.contract_filters import ContractFilters, with_current_terms
from contracts.web.contract_forms import DiffForm, TerminateForm, VersionForm

Status = Contract.Status

CONTRACT_SORTS = {
    "current_title": gettext_lazy("Contract"),
    "reference": gettext_lazy("Reference"),
    "status": gettext_lazy("Status"),
    "current_period_end": gettext_lazy("Period ends"),
    "status_changed_at": gettext_lazy("Status changed"),
}

# Each move the page offers: its service, whether only a manager makes it, and its button.
MOVES = {
    "start_dialogue": (services.start_dialogue, False, gettext_lazy("Start dialogue")),
    "start_negotiation": (services.start_negotiation, False, gettext_lazy("Start negotiation")),
    "finalise": (services.finalise_contract, True, gettext_lazy("Finalise")),
    "reopen_negotiation": (services.reopen_negotiation, True, gettext_lazy("Reopen negotiation")),
    "sign": (services.sign_contract, True, gettext_lazy("Sign")),
    "activate": (services.activate_contract, False, gettext_lazy("Activate")),
    "end": (services.end_contract, False, gettext_lazy("End")),
    "terminate": (services.terminate_contract, True, gettext_lazy("Terminate")),
}


@require_GET
@page
def contract_list(request):
    contracts = with_current_terms(
        selectors.contract_list(person=request.user).prefetch_related(None)
    ).select_related("programme")
    rows = page_list(
        request,
        contracts,
        filters=ContractFilters,
        sorts=CONTRACT_SORTS,
        default_sort="current_title",
    )
    return render(
        request,
        "contracts/web/contract_list.html",
        {"rows": rows},
        status=400 if rows.refused else 200,
    )


def _moves_offered(request, contract: Contract) -> list[dict]:
    """The moves the contract's status allows that this person may make."""
    staff = allowed(
        policies.require_purchaser_staff, request.user, request.acting_for, contract.purchaser
    )
    manager = allowed(
        policies.require_purchaser_manager, request.user, request.acting_for, contract.purchaser
    )
    offered = []
    for move in services.allowed_moves(contract.status):
        _service, manager_only, label = MOVES[move]
        if manager if manager_only else staff:
            offered.append({"name": move, "label": label})
    return offered


def _render_detail(request, contract: Contract, status: int = 200, **forms):
    versions = list(contract.ordered_versions)
    current = versions[-1]
    staff = allowed(
        policies.require_purchaser_staff, request.user, request.acting_for, contract.purchaser
    )
    may_version = staff and contract.status in (
        services.EDITABLE_STATUSES | services.AMENDABLE_STATUSES
    )
    numbers = [v.number for v in versions]
    context = {
        "contract": contract,
        "current": current,
        "versions": versions,
        "parties": list(contract.parties.all()),
        "moves": _moves_offered(request, contract),
        "open_gates": list(open_gating_milestones(programme=contract.programme, contract=contract)),
        "obligations": list(
            selectors.obligation_list(person=request.user).filter(contract=contract)
        ),
        "may_version": may_version,
        "amending": contract.signed_at is not None,
        "version_form": forms.get("version_form") or VersionForm.for_version(current),
        "diff_form": DiffForm(
            initial={
                "first": numbers[-2] if len(numbers) > 1 else numbers[0],
                "second": numbers[-1],
            },
            numbers=numbers,
        ),
        "terminate_form": forms.get("terminate_form") or TerminateForm(prefix="terminate"),
        "refusal": forms.get("refusal"),
    }
    return render(request, "contracts/web/contract_detail.html", context, status=status)


@require_GET
@page
def contract_detail(request, contract_id):
    contract = selectors.contract_get(person=request.user, contract_id=contract_id)
    return _render_detail(request, contract)


@require_POST
@page
def contract_move(request, contract_id, move):
    contract = selectors.contract_get(person=request.user, contract_id=contract_id)
    if move not in MOVES:
        raise NotFound()
    service, manager_only, _label = MOVES[move]
    # Who may is decided before what was typed is looked at; the service checks again.
    require = (
        policies.require_purchaser_manager if manager_only else policies.require_purchaser_staff
    )
    require(request.user, request.acting_for, contract.purchaser)
    arguments = {}
    terminate_form = None
    if move == "terminate":
        terminate_form = TerminateForm(request.POST, prefix="terminate")
        terminate_form.is_valid()
        arguments["reason"] = terminate_form.cleaned_data.get("reason", "")
    try:
        service(actor=request.user, acting_for=request.acting_for, contract=contract, **arguments)
    except (RuleViolation, Conflict) as error:
        # The service changed nothing; the page says why, and what the contract may do.
        if terminate_form is not None:
            show_refusal(terminate_form, error)
        return _render_detail(
            request,
            contract,
            status=error.status,
            refusal=error,
            terminate_form=terminate_form,
        )
    moved = selectors.contract_get(person=request.user, contract_id=contract.pk)
    messages.success(
        request,
        _("The contract is now %(status)s.") % {"status": moved.get_status_display().lower()},
    )
    return redirect("contract-page", contract_id=contract.pk)


@require_POST
@page
def contract_new_version(request, contract_id):
    contract = selectors.contract_get(person=request.user, contract_id=contract_id)
    policies.require_purchaser_staff(request.user, request.acting_for, contract.purchaser)
    current = contract.ordered_versions[-1]
    form = VersionForm(request.POST, prefix="version")
    if not form.is_valid():
        return _render_detail(request, contract, status=400, version_form=form)
    try:
        version = term_services.create_version(
            actor=request.user,
            acting_for=request.acting_for,
            contract=contract,
            change_summary=form.cleaned_data["change_summary"],
            **form.changes(current),
        )
    except (RuleViolation, Conflict) as error:
        show_refusal(form, error)
        return _render_detail(request, contract, status=error.status, version_form=form)
    messages.success(
        request,
        _("Version %(number)s was saved.") % {"number": version.number},
    )
    return redirect(f"{_diff_url(contract.pk)}?first={current.number}&second={version.number}")


def _diff_url(contract_id) -> str:
    return reverse("contract-diff-page", args=[contract_id])


def _labelled(changes: list[dict]) -> list[dict]:
    """Each change with its field's label, as the version form names it."""
    for change in changes:
        change["label"] = ContractVersion._meta.get_field(change["field"]).verbose_name
    return changes


@require_GET
@page
def contract_diff(request, contract_id):
    contract = selectors.contract_get(person=request.user, contract_id=contract_id)
    numbers = [v.number for v in contract.ordered_versions]
    form = DiffForm(request.GET, numbers=numbers)
    if not form.is_valid():
        return render(
            request,
            "contracts/web/contract_diff.html",
            {"contract": contract, "form": form, "diff": None},
            status=400,
        )
    diff = selectors.version_diff(
        person=request.user,
        contract_id=contract.pk,
        first=form.cleaned_data["first"],
        second=form.cleaned_data["second"],
    )
    return render(
        request,
        "contracts/web/contract_diff.html",
        {"contract": contract, "form": form, "diff": diff, "changes": _labelled(diff["changes"])},
    )
