"""The concern pages, for both sides of a relationship: the concerns a person sees (filtered
and sorted in the URL), raising one, and a concern's page with its history and the moves the
person may make there (acknowledge, mark discussed at a meeting, resolve, withdraw).

Reads go through dialogue.selectors.concerns, writes through dialogue.services.concerns, as
the API's; a refused move comes back on the concern's page with the service's reason and
changes nothing."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import allowed, page
from commissioning.web.forms import submit
from commissioning.web.lists import page_list
from dialogue.models import Concern
from dialogue.selectors.concerns import concern_get, concern_list
from dialogue.services import concerns as services
from dialogue.web.concern_forms import ConcernFilters, DiscussedForm, RaiseForm, ResolveForm

Status = Concern.Status
CONCERN_SORTS = {
    "created_at": _lazy("Raised"),
    "reply_by": _lazy("Reply by"),
    "title": _lazy("Concern"),
    "status": _lazy("Status"),
}


def _may_speak(request) -> bool:
    """Purchaser staff and provider (or network) representatives raise and answer concerns:
    the rule dialogue.services.concerns applies to every move."""
    return allowed(services.require_speaks_for, request.user, request.acting_for)


@require_GET
@page
def concern_list_page(request):
    rows = page_list(
        request,
        concern_list(person=request.user),
        filters=ConcernFilters,
        sorts=CONCERN_SORTS,
        default_sort="-created_at",
    )
    return render(
        request,
        "dialogue/web/concern_list.html",
        {"rows": rows, "may_raise": _may_speak(request)},
        status=400 if rows.refused else 200,
    )


def _render_raise(request, form, status=200):
    return render(request, "dialogue/web/concern_raise.html", {"form": form}, status=status)


@page
def concern_raise(request):
    # The service's own rule and refusal, as the API gives it.
    services.require_speaks_for(request.user, request.acting_for)
    choices = {"person": request.user, "acting_for": request.acting_for}
    if request.method != "POST":
        return _render_raise(request, RaiseForm(**choices))
    form = RaiseForm(request.POST, **choices)
    if not form.is_valid():
        return _render_raise(request, form, status=400)
    try:
        concern = services.raise_concern(
            actor=request.user, acting_for=request.acting_for, **form.cleaned_data
        )
    except (RuleViolation, Conflict) as error:
        form.show_refusal(error)
        return _render_raise(request, form, status=error.status)
    messages.success(request, _("The concern was raised."))
    return redirect("concern-page", concern_id=concern.pk)


@dataclass
class Step:
    label: str
    when: object
    detail: str = ""


def history(concern: Concern) -> list[Step]:
    """What happened to the concern, from its own record: the same for both sides."""
    steps = [Step(_("Raised by %(name)s") % {"name": concern.raised_by.name}, concern.created_at)]
    if concern.acknowledged_at:
        steps.append(
            Step(
                _("Acknowledged by %(name)s") % {"name": concern.raised_with.name},
                concern.acknowledged_at,
            )
        )
    if concern.discussed_at_id:
        steps.append(
            Step(
                _("Discussed at a meeting"),
                concern.discussed_at.starts_at,
                concern.discussed_at.title,
            )
        )
    if concern.status == Status.RESOLVED:
        steps.append(Step(_("Resolved"), concern.closed_at, concern.resolution))
    elif concern.status == Status.WITHDRAWN:
        steps.append(
            Step(_("Withdrawn by %(name)s") % {"name": concern.raised_by.name}, concern.closed_at)
        )
    return steps


def _moves(request, concern: Concern) -> dict:
    """The moves the person may make now: the service's transition table and its rule of
    who speaks for which side."""
    next_ = set(services.CONCERN_LIFECYCLE.allowed_next(concern.status))
    acting = request.acting_for.id
    speaks = _may_speak(request)
    return {
        "acknowledge": speaks and Status.ACKNOWLEDGED in next_ and acting == concern.raised_with_id,
        "resolve": speaks
        and Status.RESOLVED in next_
        and acting in {concern.raised_by_id, concern.raised_with_id},
        "withdraw": speaks and Status.WITHDRAWN in next_ and acting == concern.raised_by_id,
        "discussed": Status.DISCUSSED in next_
        and allowed(
            policies.require_purchaser_staff, request.user, request.acting_for, concern.purchaser
        ),
    }


def _render_concern(request, concern, *, resolve=None, discussed=None, refusal=None, status=200):
    moves = _moves(request, concern)
    return render(
        request,
        "dialogue/web/concern_detail.html",
        {
            "concern": concern,
            "refusal": refusal,
            "history": history(concern),
            "moves": moves,
            "resolve_form": resolve or ResolveForm(),
            "discussed_form": discussed
            or (
                DiscussedForm(person=request.user, concern=concern) if moves["discussed"] else None
            ),
        },
        status=status,
    )


@require_GET
@page
def concern_page(request, concern_id):
    return _render_concern(request, concern_get(person=request.user, concern_id=concern_id))


def _done(request, concern, message):
    messages.success(request, message)
    return redirect("concern-page", concern_id=concern.pk)


def _plain_move(request, concern_id, move, message):
    """A move that takes nothing but the concern (acknowledge, withdraw): done, or the
    service's refusal on the concern's page."""
    concern = concern_get(person=request.user, concern_id=concern_id)
    try:
        move(actor=request.user, acting_for=request.acting_for, concern=concern)
    except (RuleViolation, Conflict) as error:
        return _render_concern(request, concern, refusal=error, status=error.status)
    return _done(request, concern, message)


@require_POST
@page
def concern_acknowledge(request, concern_id):
    return _plain_move(
        request, concern_id, services.acknowledge_concern, _("The concern was acknowledged.")
    )


@require_POST
@page
def concern_withdraw(request, concern_id):
    return _plain_move(
        request, concern_id, services.withdraw_concern, _("The concern was withdrawn.")
    )


def _form_move(request, concern, name: str, form, move, message):
    """A move with a form (resolve, discussed): done, or the concern's page with the form
    again, what was typed wrong or the service's refusal on it (commissioning.web.forms)."""
    status = submit(
        request,
        form,
        lambda data: move(
            actor=request.user, acting_for=request.acting_for, concern=concern, **data
        ),
    )
    if status is None:
        return _done(request, concern, message)
    return _render_concern(request, concern, status=status, **{name: form})


@require_POST
@page
def concern_resolve(request, concern_id):
    concern = concern_get(person=request.user, concern_id=concern_id)
    return _form_move(
        request,
        concern,
        "resolve",
        ResolveForm(request.POST),
        services.resolve_concern,
        _("The concern was resolved."),
    )


@require_POST
@page
def concern_discussed(request, concern_id):
    concern = concern_get(person=request.user, concern_id=concern_id)
    policies.require_purchaser_staff(request.user, request.acting_for, concern.purchaser)
    return _form_move(
        request,
        concern,
        "discussed",
        DiscussedForm(request.POST, person=request.user, concern=concern),
        services.mark_concern_discussed,
        _("The concern was marked as discussed."),
    )
