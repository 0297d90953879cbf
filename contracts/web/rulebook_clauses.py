"""Editing the clauses of a draft rulebook version on the pages: add, reword and renumber
(one form: number, heading, text), move up or down, delete. Each is one call of
contracts.services.clauses, as from the API; a refusal (a clause number taken or written
wrong, a version no longer a draft) comes back on the form with everything as typed, and
saves nothing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import page
from contracts.selectors import rulebooks as selectors
from contracts.services import clauses as services
from contracts.web.rulebook_forms import ClauseForm
from contracts.web.rulebooks import render_version

MOVES = {"up": -1, "down": 1}


def _require_writer(request, version) -> None:
    policies.require_purchaser_staff(
        request.user, request.acting_for, version.rulebook.programme.purchaser
    )


@require_POST
@page
def clause_add(request, version_id):
    version = selectors.version_get(person=request.user, version_id=version_id)
    _require_writer(request, version)
    form = ClauseForm(request.POST, prefix="new")
    if not form.is_valid():
        return render_version(request, version, form, status=400)
    try:
        clause = services.create_clause(
            actor=request.user, acting_for=request.acting_for, version=version, **form.cleaned_data
        )
    except (RuleViolation, Conflict) as error:
        form.show_refusal(error)
        return render_version(request, version, form, status=error.status)
    messages.success(request, _("Clause %(key)s was added.") % {"key": clause.key})
    return redirect("rulebook-version-page", version_id=version.pk)


def _render_edit(request, clause, form, status=200):
    return render(
        request,
        "contracts/web/rulebook_clause_edit.html",
        {"clause": clause, "version": clause.version, "form": form},
        status=status,
    )


@page
def clause_edit(request, clause_id):
    """Reword or renumber a clause: a new number keeps the clause's lineage, so the diff
    shows it as moved."""
    clause = selectors.clause_get(person=request.user, clause_id=clause_id)
    _require_writer(request, clause.version)
    if request.method != "POST":
        form = ClauseForm(
            initial={"key": clause.key, "heading": clause.heading, "text": clause.text}
        )
        return _render_edit(request, clause, form)
    form = ClauseForm(request.POST)
    if not form.is_valid():
        return _render_edit(request, clause, form, status=400)
    changes = {
        name: value for name, value in form.cleaned_data.items() if value != getattr(clause, name)
    }
    if changes:
        try:
            clause = services.update_clause(
                actor=request.user, acting_for=request.acting_for, clause=clause, **changes
            )
        except (RuleViolation, Conflict) as error:
            form.show_refusal(error)
            return _render_edit(request, clause, form, status=error.status)
        messages.success(request, _("Clause %(key)s was saved.") % {"key": clause.key})
    return redirect("rulebook-version-page", version_id=clause.version_id)


@require_POST
@page
def clause_delete(request, clause_id):
    clause = selectors.clause_get(person=request.user, clause_id=clause_id)
    version_id = clause.version_id
    services.delete_clause(actor=request.user, acting_for=request.acting_for, clause=clause)
    messages.success(request, _("Clause %(key)s was deleted.") % {"key": clause.key})
    return redirect("rulebook-version-page", version_id=version_id)


@require_POST
@page
def clause_move(request, clause_id, direction):
    """One place up or down in the draft's order: the whole new order goes to the service's
    reorder_clauses, as the API's reorder takes it."""
    clause = selectors.clause_get(person=request.user, clause_id=clause_id)
    order = list(
        selectors.clause_list(person=request.user, version=clause.version).values_list(
            "id", flat=True
        )
    )
    place = order.index(clause.pk)
    target = place + MOVES[direction]
    if 0 <= target < len(order):
        order[place], order[target] = order[target], order[place]
    services.reorder_clauses(
        actor=request.user, acting_for=request.acting_for, version=clause.version, clause_ids=order
    )
    messages.success(request, _("Clause %(key)s was moved.") % {"key": clause.key})
    return redirect(
        reverse("rulebook-version-page", args=[clause.version_id]) + f"#clause-{clause.pk}"
    )
