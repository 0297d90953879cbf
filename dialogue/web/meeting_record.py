"""What happened at a meeting, on the pages: hold it (who came and the minutes, in one save
through log_meeting), approve the minutes (managers), and correct the attendance or the
minutes afterwards with a reason (record_attendance, write_minutes: a new revision, the
earlier ones stay and show on the meeting's page)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.web.acting import page
from commissioning.web.forms import show_refusal
from dialogue.services.log import log_meeting
from dialogue.services.meetings import approve_minutes
from dialogue.services.record import record_attendance, write_minutes
from dialogue.web.meeting_forms import Choices
from dialogue.web.meeting_plan import REFUSALS, staff_meeting
from dialogue.web.meeting_record_forms import (
    AttendanceCorrection,
    MeetingHold,
    MinutesCorrectionForm,
    invited_attendance,
    latest_attendance,
)


def _render(request, template, context, status=200):
    return render(request, f"dialogue/web/{template}", context, status=status)


@page
def meeting_hold(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    choices = Choices(person=request.user, acting_for=request.acting_for)
    if request.method != "POST":
        hold = MeetingHold(choices=choices, initial=invited_attendance(meeting, request.user))
        return _render(request, "meeting_hold.html", {"meeting": meeting, "log": hold})
    hold = MeetingHold(choices=choices, data=request.POST)
    if not hold.is_valid():
        return _render(request, "meeting_hold.html", {"meeting": meeting, "log": hold}, 400)
    try:
        log_meeting(
            actor=request.user,
            acting_for=request.acting_for,
            meeting=meeting,
            **hold.service_arguments(),
        )
    except REFUSALS as error:
        hold.show_refusal(error)
        context = {"meeting": meeting, "log": hold}
        return _render(request, "meeting_hold.html", context, error.status)
    messages.success(request, _("The meeting is marked held."))
    return redirect("meeting-page", meeting_id=meeting.pk)


@require_POST
@page
def meeting_approve_minutes(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    approve_minutes(actor=request.user, acting_for=request.acting_for, meeting=meeting)
    messages.success(request, _("The minutes are approved."))
    return redirect("meeting-page", meeting_id=meeting.pk)


@page
def meeting_attendance(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    choices = Choices(person=request.user, acting_for=request.acting_for)
    recorded = latest_attendance(meeting)
    context = {"meeting": meeting, "correction": bool(recorded)}
    if request.method != "POST":
        form = AttendanceCorrection(
            choices=choices, initial=recorded or invited_attendance(meeting, request.user)
        )
        return _render(request, "meeting_attendance.html", {**context, "log": form})
    form = AttendanceCorrection(choices=choices, data=request.POST)
    context["log"] = form
    if not form.is_valid():
        return _render(request, "meeting_attendance.html", context, 400)
    try:
        record_attendance(
            actor=request.user,
            acting_for=request.acting_for,
            meeting=meeting,
            **form.service_arguments(),
        )
    except REFUSALS as error:
        form.show_refusal(error)
        return _render(request, "meeting_attendance.html", context, error.status)
    messages.success(request, _("The attendance is saved."))
    return redirect("meeting-page", meeting_id=meeting.pk)


@page
def meeting_minutes(request, meeting_id):
    meeting = staff_meeting(request, meeting_id)
    latest = meeting.minutes.order_by("-number").first()
    context = {"meeting": meeting, "correction": meeting.status == "minutes_approved"}
    if request.method != "POST":
        initial = {"text": latest.text} if latest else {}
        context["form"] = MinutesCorrectionForm(initial=initial)
        return _render(request, "meeting_minutes.html", context)
    form = context["form"] = MinutesCorrectionForm(request.POST)
    if not form.is_valid():
        return _render(request, "meeting_minutes.html", context, 400)
    try:
        write_minutes(
            actor=request.user,
            acting_for=request.acting_for,
            meeting=meeting,
            text=form.cleaned_data["text"],
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as error:
        show_refusal(form, error)
        return _render(request, "meeting_minutes.html", context, error.status)
    messages.success(request, _("The minutes are saved."))
    return redirect("meeting-page", meeting_id=meeting.pk)
