"""The rulebook pages: the rulebooks a person sees, a rulebook's versions (and a new draft
made from the last one), a version with its clauses, and the diff between any two versions
of one rulebook with renumbered clauses shown as moved.

Reads go through contracts.selectors.rulebooks, writes through contracts.services.rulebooks,
as the API's; what a page offers is asked of the policy, and the service asks again. Editing
a draft's clauses: contracts/web/rulebook_clauses.py."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import allowed, page
from commissioning.web.lists import page_list
from contracts.selectors import rulebooks as selectors
from contracts.services import rulebooks as services
from contracts.web.rulebook_forms import ClauseForm, CompareForm, NewVersionForm

RULEBOOK_SORTS = {"title": _lazy("Rulebook"), "programme": _lazy("Programme")}
VERSION_SORTS = {"number": _lazy("Version"), "status": _lazy("Status")}


def may_write(request, rulebook) -> bool:
    return allowed(
        policies.require_purchaser_staff,
        request.user,
        request.acting_for,
        rulebook.programme.purchaser,
    )


@require_GET
@page
def rulebook_list(request):
    rows = page_list(
        request,
        selectors.rulebook_list(person=request.user),
        sorts=RULEBOOK_SORTS,
        default_sort="title",
        orderings={"programme": ("programme__name",)},
    )
    return render(
        request,
        "contracts/web/rulebook_list.html",
        {"rows": rows},
        status=400 if rows.refused else 200,
    )


def _render_rulebook(request, rulebook, form=None, status=200):
    rows = page_list(
        request,
        selectors.version_list(person=request.user, rulebook=rulebook),
        sorts=VERSION_SORTS,
        default_sort="-number",
    )
    versions = list(rulebook.versions.all())
    return render(
        request,
        "contracts/web/rulebook_detail.html",
        {
            "rulebook": rulebook,
            "rows": rows,
            "draft": next((v for v in versions if v.status == v.Status.DRAFT), None),
            "latest": max(versions, key=lambda v: v.number, default=None),
            "may_write": may_write(request, rulebook),
            "form": form or NewVersionForm(),
        },
        status=400 if rows.refused else status,
    )


@require_GET
@page
def rulebook_page(request, rulebook_id):
    rulebook = selectors.rulebook_get(person=request.user, rulebook_id=rulebook_id)
    return _render_rulebook(request, rulebook)


@require_POST
@page
def rulebook_new_version(request, rulebook_id):
    """A new draft, a copy of the last version (contracts.services.rulebooks)."""
    rulebook = selectors.rulebook_get(person=request.user, rulebook_id=rulebook_id)
    policies.require_purchaser_staff(request.user, request.acting_for, rulebook.programme.purchaser)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        return _render_rulebook(request, rulebook, form, status=400)
    try:
        version = services.create_rulebook_version(
            actor=request.user,
            acting_for=request.acting_for,
            rulebook=rulebook,
            summary=form.cleaned_data["summary"],
        )
    except (RuleViolation, Conflict) as error:
        form.show_refusal(error)
        return _render_rulebook(request, rulebook, form, status=error.status)
    messages.success(
        request, _("Version %(number)s was made as a draft.") % {"number": version.number}
    )
    return redirect("rulebook-version-page", version_id=version.pk)


def render_version(request, version, clause_form=None, status=200):
    """A version's page with its clauses; for a draft the person may edit, the form that
    adds a clause (as typed, with the refusal, when it was refused)."""
    editable = version.is_editable and may_write(request, version.rulebook)
    others = [
        other
        for other in selectors.version_list(person=request.user, rulebook=version.rulebook)
        if other.pk != version.pk
    ]
    return render(
        request,
        "contracts/web/rulebook_version.html",
        {
            "version": version,
            "rulebook": version.rulebook,
            "clauses": list(version.clauses.all()),
            "editable": editable,
            "clause_form": clause_form or (ClauseForm(prefix="new") if editable else None),
            "compare": (
                CompareForm(initial={"against": version.based_on_id}, versions=others)
                if others
                else None
            ),
        },
        status=status,
    )


@require_GET
@page
def version_page(request, version_id):
    version = selectors.version_get(person=request.user, version_id=version_id)
    return render_version(request, version)


@require_GET
@page
def version_diff(request, version_id):
    """What changed from the version chosen in `against` to this one: the selector the API's
    diff uses, so a renumbered clause is one moved clause, not a removal and an addition."""
    version = selectors.version_get(person=request.user, version_id=version_id)
    others = [
        other
        for other in selectors.version_list(person=request.user, rulebook=version.rulebook)
        if other.pk != version.pk
    ]
    form = CompareForm(request.GET or None, versions=others)
    diff, status = None, 200
    if form.is_bound:
        if form.is_valid():
            try:
                old = selectors.version_for_diff(
                    version=version, against_id=form.cleaned_data["against"]
                )
                diff = selectors.version_diff(old=old, new=version)
            except RuleViolation as error:
                form.show_refusal(error)
        if not form.is_valid() or form.errors:
            status = 400
    elif version.based_on_id and any(o.pk == version.based_on_id for o in others):
        old = selectors.version_for_diff(version=version, against_id=version.based_on_id)
        diff = selectors.version_diff(old=old, new=version)
        form = CompareForm(initial={"against": old.pk}, versions=others)
    return render(
        request,
        "contracts/web/rulebook_diff.html",
        {"version": version, "rulebook": version.rulebook, "form": form, "diff": diff},
        status=status,
    )
