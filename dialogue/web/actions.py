"""The actions agreed at meetings, on the pages: "my open actions" (named to me), "actions I
assigned" (to follow up), and marking one done or dropping it with a reason (the services
the API's action endpoints call)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.web.acting import allowed, page
from commissioning.web.forms import submit
from commissioning.web.lists import page_list
from dialogue.selectors import meetings as selectors
from dialogue.services.record import complete_action_item, drop_action_item
from dialogue.web.action_filters import ActionFilters, AssignedActionFilters
from dialogue.web.meeting_plan_forms import ReasonForm

ACTION_SORTS = {
    "due_date": _lazy("Due date"),
    "title": _lazy("Action"),
    "meeting": _lazy("Meeting"),
}
ORDERINGS = {"meeting": ("meeting__starts_at",)}


def _list(request, actions, *, filters, heading, template_empty, mine):
    list_name = "my-actions" if mine else "assigned-actions"
    rows = page_list(
        request,
        actions,
        filters=filters,
        sorts=ACTION_SORTS,
        default_sort="due_date",
        orderings=ORDERINGS,
    )
    for action in rows.rows:
        action.may_close = action.status == "open" and allowed(
            policies.require_purchaser_staff,
            request.user,
            request.acting_for,
            action.meeting.purchaser,
        )
    return render(
        request,
        "dialogue/web/action_list.html",
        {
            "rows": rows,
            "heading": heading,
            "empty": template_empty,
            "mine": mine,
            "list_name": list_name,
        },
        status=400 if rows.refused else 200,
    )


@require_GET
@page
def my_actions(request):
    return _list(
        request,
        selectors.open_actions_of(person=request.user),
        filters=ActionFilters,
        heading=_("My open actions"),
        template_empty=_(
            "No open action is named to you. Actions agreed at a meeting appear here when "
            "you are their owner."
        ),
        mine=True,
    )


@require_GET
@page
def assigned_actions(request):
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    return _list(
        request,
        selectors.actions_assigned_by(person=request.user),
        filters=AssignedActionFilters,
        heading=_("Actions I assigned"),
        template_empty=_(
            "You have assigned no actions yet. Add them when you hold or log a meeting."
        ),
        mine=False,
    )


def _staff_action(request, action_id):
    action = selectors.action_item_get(person=request.user, action_id=action_id)
    policies.require_purchaser_staff(request.user, request.acting_for, action.meeting.purchaser)
    return action


def _back(request, action):
    """Back to the list the person came from, else the meeting."""
    target = request.POST.get("next", "")
    if target in ("my-actions", "assigned-actions"):
        return redirect(target)
    return redirect("meeting-page", meeting_id=action.meeting_id)


@require_POST
@page
def action_done(request, action_id):
    action = _staff_action(request, action_id)
    complete_action_item(actor=request.user, acting_for=request.acting_for, action=action)
    messages.success(request, _("The action is marked done."))
    return _back(request, action)


@page
def action_drop(request, action_id):
    action = _staff_action(request, action_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    status = submit(
        request,
        form,
        lambda data: drop_action_item(
            actor=request.user, acting_for=request.acting_for, action=action, reason=data["reason"]
        ),
    )
    if status is None:
        messages.success(request, _("The action is dropped."))
        return _back(request, action)
    context = {
        "form": form,
        "heading": _("Drop the action"),
        "explanation": _("“%(action)s” is dropped with your reason, kept with the record.")
        % {"action": action.title},
        "submit": _("Drop the action"),
        "back_url": reverse("meeting-page", args=[action.meeting_id]),
        "back_label": action.meeting.title,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "dialogue/web/meeting_reason_page.html", context, status=status)
