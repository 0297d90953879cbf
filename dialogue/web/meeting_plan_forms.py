"""The forms of a planned meeting: plan it (time, place, invitations to organisations and to
named people, a typed agenda) and change it. The choices are the log form's (Choices: read
through the policy module); every rule of the domain stays in the services, whose refusals
come back beside the fields as the page labels them."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.errors import DomainError
from commissioning.web.forms import show_refusal
from dialogue.models import AgendaItem, Meeting
from dialogue.web.meeting_forms import (
    MAX_MINUTES,
    MEETING_FIELD_NAMES,
    Choices,
    MeetingWhenForm,
    _place_on_rows,
    filled,
)


def _person_choices(choices: Choices) -> list[tuple[str, str]]:
    """Each member of each organisation, as "organisation-person": a person is invited for
    an organisation (the service checks they belong to it)."""
    names = dict(choices.organisations)
    by_name = {name: pk for pk, name in choices.organisations}
    return [
        (f"{by_name[organisation]}-{person}", f"{label} ({organisation})")
        for organisation, people in choices.people
        for person, label in people
        if organisation in by_name and by_name[organisation] in names
    ]


class PlanForm(MeetingWhenForm):
    """A future meeting with its invitations to organisations and named people."""

    organisations = forms.TypedMultipleChoiceField(
        label=_("Invited organisations"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.MultipleChoiceField(
        label=_("Invited people"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, choices=choices, **kwargs)
        self.fields["organisations"].choices = choices.organisations
        self.fields["people"].choices = _person_choices(choices)

    def invitees(self) -> list[dict]:
        data = self.cleaned_data
        invitees = [{"organisation": pk} for pk in data["organisations"]]
        for pair in data["people"]:
            organisation, person = (int(part) for part in pair.split("-"))
            invitees.append({"organisation": organisation, "person": person})
        return invitees

    def meeting_fields(self) -> dict:
        return {**self.when_and_where(), "invitees": self.invitees()}

    def show_refusal(self, error: DomainError) -> None:
        fields = dict(error.fields or {})
        if isinstance(fields.get("invitees"), list):
            fields.pop("invitees")
            fields["organisations"] = [error.message]
        names = {**MEETING_FIELD_NAMES, "invitees": "organisations"}
        message = getattr(error, "bare_message", error.message)
        show_refusal(self, type(error)(message, fields=fields, code=error.code), names)


def initial_of(meeting: Meeting) -> dict:
    """The form as the meeting is now, in the meeting's own time zone."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    invitations = list(meeting.invitations.all())
    return {
        "title": meeting.title,
        "arena": meeting.arena_id,
        "programme": meeting.programme_id,
        "date": starts.date(),
        "starts": starts.time(),
        "ends": ends.time(),
        "time_zone": meeting.time_zone,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "organisations": [i.organisation_id for i in invitations if i.person_id is None],
        "people": [f"{i.organisation_id}-{i.person_id}" for i in invitations if i.person_id],
    }


class PlannedAgendaRowForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=AgendaItem.Kind.choices, initial="dialogue")
    # No lower bound here: zero reaches the service, which refuses it in the domain's words.
    planned_minutes = forms.IntegerField(label=_("Planned minutes"), max_value=MAX_MINUTES)

    def entry(self) -> dict:
        return dict(self.cleaned_data)


PlannedAgendaFormSet = forms.formset_factory(PlannedAgendaRowForm, extra=3)


class MeetingPlan:
    """The plan page's form: the meeting and its agenda rows (as MeetingLog, so the error
    summary template of the log page lists both)."""

    def __init__(self, *, choices: Choices, data=None):
        self.meeting = PlanForm(data, choices=choices)
        self.agenda = PlannedAgendaFormSet(data, prefix="agenda")

    @property
    def formsets(self):
        return {"agenda": self.agenda}

    def is_valid(self) -> bool:
        results = [self.meeting.is_valid(), self.agenda.is_valid()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(self.meeting.errors) or bool(
            self.agenda.non_form_errors() or any(form.errors for form in self.agenda.forms)
        )

    def service_arguments(self) -> dict:
        return {
            **self.meeting.meeting_fields(),
            "agenda": [form.entry() for form in filled(self.agenda)],
        }

    def show_refusal(self, error: DomainError) -> None:
        rows = (error.fields or {}).get("agenda")
        if isinstance(rows, list):
            _place_on_rows(filled(self.agenda), rows)
            message = getattr(error, "bare_message", error.message)
            self.meeting.add_error(None, message)
            return
        self.meeting.show_refusal(error)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
