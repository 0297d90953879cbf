"""Planning meetings on the pages: plan a future meeting with its invitations and typed agenda
(dialogue.services.plan.plan_meeting), change a planned one (update_meeting; the invitees
are told by the notifications that follow its Event) and cancel one with a reason.

Each page asks the policy before it shows a form, and the service checks again; a refusal
comes back with everything as typed and the error summary on top."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import page
from commissioning.web.forms import submit
from dialogue.selectors import meetings as selectors
from dialogue.services.meetings import cancel_meeting, update_meeting
from dialogue.services.plan import plan_meeting
from dialogue.web.meeting_forms import Choices
from dialogue.web.meeting_plan_forms import MeetingPlan, PlanForm, ReasonForm, initial_of

REFUSALS = (RuleViolation, Conflict)


def staff_meeting(request, meeting_id):
    """The meeting a page changes: 404 if the person may not see it, the policy's 403 if
    they see it but may not change it."""
    meeting = selectors.meeting_for_write(person=request.user, meeting_id=meeting_id)
    policies.require_purchaser_staff(request.user, request.acting_for, meeting.purchaser)
    return meeting


def _render_plan(request, plan: MeetingPlan, status: int = 200):
    return render(request, "dialogue/web/meeting_plan.html", {"log": plan}, status=status)


@page
def meeting_plan(request):
    policies.require_acting_as_purchaser_staff(request.user, request.acting_for)
    choices = Choices(person=request.user, acting_for=request.acting_for)
    if request.method != "POST":
        return _render_plan(request, MeetingPlan(choices=choices))
    plan = MeetingPlan(choices=choices, data=request.POST)
    if not plan.is_valid():
        return _render_plan(request, plan, status=400)
    try:
        meeting = plan_meeting(
            actor=request.user, acting_for=request.acting_for, **plan.service_arguments()
        )
    except REFUSALS as error:
        plan.show_refusal(error)
        return _render_plan(request, plan, status=error.status)
    messages.success(request, _("The meeting is planned and the invitations are on their way."))
    return redirect("meeting-page", meeting_id=meeting.pk)


@page
def meeting_edit(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    choices = Choices(person=request.user, acting_for=request.acting_for)
    if request.method != "POST":
        form = PlanForm(choices=choices, initial=initial_of(meeting))
        return _render_edit(request, meeting, form)
    form = PlanForm(request.POST, choices=choices)
    if not form.is_valid():
        return _render_edit(request, meeting, form, status=400)
    try:
        update_meeting(
            actor=request.user,
            acting_for=request.acting_for,
            meeting=meeting,
            **form.meeting_fields(),
        )
    except REFUSALS as error:
        form.show_refusal(error)
        return _render_edit(request, meeting, form, status=error.status)
    messages.success(request, _("The meeting was changed; the invitees are told."))
    return redirect("meeting-page", meeting_id=meeting.pk)


def _render_edit(request, meeting, form, status: int = 200):
    return render(
        request,
        "dialogue/web/meeting_edit.html",
        {"meeting": meeting, "form": form},
        status=status,
    )


@page
def meeting_cancel(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    status = submit(
        request,
        form,
        lambda data: cancel_meeting(
            actor=request.user,
            acting_for=request.acting_for,
            meeting=meeting,
            reason=data["reason"],
        ),
    )
    if status is None:
        messages.success(request, _("The meeting was cancelled; the invitees are told."))
        return redirect("meeting-page", meeting_id=meeting.pk)
    context = {
        "form": form,
        "heading": _("Cancel the meeting"),
        "explanation": _(
            "Everyone invited is told the meeting is cancelled, with your reason. A cancelled "
            "meeting cannot be planned again; plan a new one."
        ),
        "submit": _("Cancel the meeting"),
        "back_url": reverse("meeting-page", args=[meeting.pk]),
        "back_label": meeting.title,
    }
    return render(request, "dialogue/web/meeting_reason_page.html", context, status=status)
