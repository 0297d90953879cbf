"""The forms of what happened at a meeting: holding it (attendance and minutes, saved through
log_meeting with the meeting marked held), recording or correcting the attendance, and
writing or correcting the minutes. A correction of a held meeting's record needs a reason:
the services say so, and the form shows it beside the reason field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.errors import DomainError
from commissioning.web.forms import show_refusal
from dialogue.models import Meeting
from dialogue.web.meeting_forms import (
    AttendanceFormSet,
    Choices,
    MeetingLog,
    _place_on_rows,
    filled,
)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        required=False,  # the first record needs none; the service asks for it after
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MinutesCorrectionForm(CorrectionForm):
    text = forms.CharField(
        label=_("Minutes of the meeting"), widget=forms.Textarea(attrs={"rows": 10})
    )
    field_order = ["text", "reason"]


def invited_attendance(meeting: Meeting, person) -> list[dict]:
    """The attendance a held meeting starts from: the purchaser (with the person holding
    it) and everyone invited, all present; the officer changes who was not."""
    rows = [{"organisation": meeting.purchaser_id, "person": person.id, "status": "present"}]
    for invitation in meeting.invitations.all():
        row = {
            "organisation": invitation.organisation_id,
            "person": invitation.person_id,
            "status": "present",
        }
        if row not in rows:
            rows.append(row)
    return rows


def latest_attendance(meeting: Meeting) -> list[dict]:
    revision = meeting.attendance.order_by("-number").first()
    if revision is None:
        return []
    return [
        {"organisation": e.organisation_id, "person": e.person_id, "status": e.status}
        for e in revision.entries.order_by("id")
    ]


class MeetingHold(MeetingLog):
    """Holding a planned meeting: who came and the minutes, as log_meeting takes them (the
    log form's refusal placing, with only these parts)."""

    def __init__(self, *, choices: Choices, data=None, initial=None):
        self.meeting = MinutesForm(data)
        self.attendance = AttendanceFormSet(
            data, prefix="attendance", initial=initial, form_kwargs={"choices": choices}
        )

    @property
    def formsets(self):
        return {"attendance": self.attendance}

    def service_arguments(self) -> dict:
        return {
            "attendance": [form.entry() for form in filled(self.attendance)],
            "minutes": self.meeting.cleaned_data["minutes"],
        }


class AttendanceCorrection(MeetingLog):
    """The whole attendance again (record_attendance), with a reason once it is recorded."""

    def __init__(self, *, choices: Choices, data=None, initial=None):
        self.meeting = CorrectionForm(data)
        self.attendance = AttendanceFormSet(
            data, prefix="attendance", initial=initial, form_kwargs={"choices": choices}
        )

    @property
    def formsets(self):
        return {"attendance": self.attendance}

    def service_arguments(self) -> dict:
        return {
            "entries": [form.entry() for form in filled(self.attendance)],
            "reason": self.meeting.cleaned_data["reason"],
        }

    def show_refusal(self, error: DomainError) -> None:
        fields = dict(error.fields or {})
        rows = fields.pop("entries", None)
        if isinstance(rows, list):
            _place_on_rows(filled(self.attendance), rows)
        message = getattr(error, "bare_message", error.message)
        show_refusal(self.meeting, type(error)(message, fields=fields, code=error.code))
