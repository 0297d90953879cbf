"""The log-a-meeting form: the meeting, its attendance, agenda (with decisions) and actions,
turned into the arguments of dialogue.services.log.log_meeting, and that service's refusals put
back beside the row and field they name (`actions[2].due_date`), so nothing typed is lost.

The form checks only what a form must (a date is a date, a required field is there); every
rule of the domain (the meeting started, an action's owner was invited, minutes above zero)
stays in the service and reaches the person in its words."""

import datetime
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import DomainError
from commissioning.models import Membership, Organisation
from commissioning.web.forms import show_refusal
from dialogue.models import AgendaItem, AttendanceEntry
from dialogue.selectors import dialogue_share

# The zones of the countries the product serves; a meeting keeps the zone it was held in.
TIME_ZONES = [
    ("Europe/Stockholm", _("Swedish time (Europe/Stockholm)")),
    ("Europe/Oslo", _("Norwegian time (Europe/Oslo)")),
    ("Europe/London", _("UK time (Europe/London)")),
]
TIME_ZONE_BY_COUNTRY = {"SE": "Europe/Stockholm", "NO": "Europe/Oslo", "GB": "Europe/London"}
MAX_MINUTES = 24 * 60

# Where each field of the service's `meeting` part is typed on the form.
MEETING_FIELD_NAMES = {
    "title": "title",
    "arena": "arena",
    "programme": "programme",
    "starts_at": "starts",
    "ends_at": "ends",
    "time_zone": "time_zone",
    "place": "place",
    "video_link": "video_link",
}
# Refusals that name no field but are about one: a meeting that has not started yet.
CODE_FIELD_NAMES = {"meeting_not_started": "date"}


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _time_input():
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class Choices:
    """What the person may pick on the form: the arenas and programmes of the purchaser they
    act for, and the organisations (and their people) that purchaser works with, all read
    through the policy module."""

    def __init__(self, *, person, acting_for: Organisation):
        self.arenas = [
            (arena.id, arena.name)
            for arena in policies.visible_arenas(person)
            .filter(purchaser=acting_for)
            .order_by("name", "id")
        ]
        self.programmes = [
            (programme.id, programme.name)
            for programme in policies.visible_programmes(person)
            .filter(purchaser=acting_for)
            .order_by("name", "id")
        ]
        works_with = (
            Q(id=acting_for.id)
            | Q(arena_memberships__purchaser=acting_for)
            | Q(participation__programme__purchaser=acting_for)
        )
        organisations = list(
            policies.visible_organisations(person)
            .filter(works_with)
            .distinct()
            .order_by("name", "id")
        )
        # The purchaser first: it is present at every meeting it holds.
        organisations.sort(key=lambda o: o.id != acting_for.id)
        self.organisations = [(o.id, o.name) for o in organisations]
        people: dict[int, list] = {}
        for membership in (
            Membership.objects.filter(organisation__in=[o.id for o in organisations])
            .select_related("person")
            .order_by("person__first_name", "person__last_name", "id")
        ):
            label = membership.person.get_full_name() or membership.person.get_username()
            entries = people.setdefault(membership.organisation_id, [])
            if (membership.person_id, label) not in entries:
                entries.append((membership.person_id, label))
        self.people = [(name, people[pk]) for pk, name in self.organisations if pk in people]
        self.time_zone = TIME_ZONE_BY_COUNTRY.get(acting_for.country, "Europe/Stockholm")


def _blank(label):
    return [("", label)]


class MeetingWhenForm(forms.Form):
    """What, where and when of a meeting: the fields the log form (a held meeting) and the
    plan form (a future one) share, read in the chosen time zone."""

    title = forms.CharField(label=_("Title"), max_length=200)
    arena = forms.TypedChoiceField(label=_("Arena"), coerce=int, required=False, empty_value=None)
    programme = forms.TypedChoiceField(
        label=_("Programme"), coerce=int, required=False, empty_value=None
    )
    date = forms.DateField(label=_("Date"), widget=_date_input())
    starts = forms.TimeField(label=_("Starts at"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends at"), widget=_time_input())
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_link = forms.URLField(
        label=_("Video link"), max_length=200, required=False, assume_scheme="https"
    )

    def __init__(self, *args, choices: Choices, **kwargs):
        kwargs.setdefault("initial", {"time_zone": choices.time_zone})
        super().__init__(*args, **kwargs)
        self.fields["arena"].choices = _blank(_("No arena")) + choices.arenas
        self.fields["programme"].choices = _blank(_("No programme")) + choices.programmes

    def when_and_where(self) -> dict:
        """The service's meeting fields (all but the invitees)."""
        data = self.cleaned_data
        zone = zoneinfo.ZoneInfo(data["time_zone"])
        return {
            "title": data["title"],
            "arena": data["arena"],
            "programme": data["programme"],
            "starts_at": datetime.datetime.combine(data["date"], data["starts"], tzinfo=zone),
            "ends_at": datetime.datetime.combine(data["date"], data["ends"], tzinfo=zone),
            "time_zone": data["time_zone"],
            "place": data["place"],
            "video_link": data["video_link"],
        }


class MeetingForm(MeetingWhenForm):
    """A held meeting, logged after the fact."""

    starts = forms.TimeField(label=_("Started at"), widget=_time_input())
    ends = forms.TimeField(label=_("Ended at"), widget=_time_input())
    minutes = forms.CharField(
        label=_("Minutes of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def new_meeting(self, attendance: list[dict]) -> dict:
        """The `new_meeting` of log_meeting; everyone in the attendance was invited."""
        invitees = []
        for entry in attendance:
            invitee = {"organisation": entry["organisation"]}
            if invitee not in invitees:
                invitees.append(invitee)
        return {**self.when_and_where(), "invitees": invitees}


class AttendanceRowForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    person = forms.TypedChoiceField(
        label=_("Person (optional)"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceEntry.Status.choices, initial="present"
    )

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = (
            _blank(_("Choose an organisation")) + choices.organisations
        )
        self.fields["person"].choices = _blank(_("No one by name")) + choices.people

    def entry(self) -> dict:
        data = self.cleaned_data
        entry = {"organisation": data["organisation"], "status": data["status"]}
        if data["person"] is not None:
            entry["person"] = data["person"]
        return entry


class AgendaRowForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=AgendaItem.Kind.choices, initial="dialogue")
    # No lower bound here: zero reaches the service, which refuses it in the domain's words.
    planned_minutes = forms.IntegerField(label=_("Planned minutes"), max_value=MAX_MINUTES)
    actual_minutes = forms.IntegerField(
        label=_("Actual minutes"), max_value=MAX_MINUTES, required=False
    )
    decisions = forms.CharField(
        label=_("Decisions taken (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def entry(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "planned_minutes": data["planned_minutes"],
            "actual_minutes": data["actual_minutes"],
            "decisions": [line.strip() for line in data["decisions"].splitlines() if line.strip()],
        }


class ActionRowForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_organisation = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    owner_person = forms.TypedChoiceField(
        label=_("Owner by name (optional)"), coerce=int, required=False, empty_value=None
    )
    due_date = forms.DateField(label=_("Due date"), widget=_date_input())

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = (
            _blank(_("Choose an organisation")) + choices.organisations
        )
        self.fields["owner_person"].choices = _blank(_("No one by name")) + choices.people

    def entry(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "owner_organisation": data["owner_organisation"],
            "owner_person": data["owner_person"],
            "due_date": data["due_date"],
        }


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=3)
AgendaFormSet = forms.formset_factory(AgendaRowForm, extra=2)
ActionFormSet = forms.formset_factory(ActionRowForm, extra=1)


def filled(formset) -> list:
    """The rows someone typed in (and the ones the form started with); untouched extra rows
    are left out, as on paper."""
    return [
        form
        for index, form in enumerate(formset.forms)
        if index < formset.initial_form_count() or form.has_changed()
    ]


class MeetingLog:
    """The whole form: the meeting and its three lists of rows, bound or not."""

    def __init__(self, *, choices: Choices, data=None, person=None, acting_for=None):
        self.meeting = MeetingForm(data, choices=choices)
        initial_attendance = None
        if data is None and person is not None and acting_for is not None:
            initial_attendance = [
                {"organisation": acting_for.id, "person": person.id, "status": "present"}
            ]
        self.attendance = AttendanceFormSet(
            data,
            prefix="attendance",
            initial=initial_attendance,
            form_kwargs={"choices": choices},
        )
        self.agenda = AgendaFormSet(data, prefix="agenda")  # free text and numbers: no choices
        self.actions = ActionFormSet(data, prefix="actions", form_kwargs={"choices": choices})

    @property
    def formsets(self):
        return {"attendance": self.attendance, "agenda": self.agenda, "actions": self.actions}

    def is_valid(self) -> bool:
        # Every part is checked, so every mistake shows at once, not one per submit.
        results = [self.meeting.is_valid()] + [f.is_valid() for f in self.formsets.values()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(self.meeting.errors) or any(
            formset.non_form_errors() or any(form.errors for form in formset.forms)
            for formset in self.formsets.values()
        )

    def service_arguments(self) -> dict:
        attendance = [form.entry() for form in filled(self.attendance)]
        return {
            "new_meeting": self.meeting.new_meeting(attendance),
            "attendance": attendance,
            "agenda": [form.entry() for form in filled(self.agenda)],
            "actions": [form.entry() for form in filled(self.actions)],
            "minutes": self.meeting.cleaned_data["minutes"],
        }

    def show_refusal(self, error: DomainError) -> None:
        """Each problem the service names goes to its row and field; the message on top,
        without the path (people read "Due date", not actions[2].due_date)."""
        fields = error.fields or {}
        for name, rows in fields.items():
            formset = self.formsets.get(name)
            if formset is not None and isinstance(rows, list):
                _place_on_rows(filled(formset), rows)
        meeting_fields = {}
        part = fields.get("meeting")
        if isinstance(part, dict):
            for name, problems in part.items():
                if name in MEETING_FIELD_NAMES:
                    meeting_fields[MEETING_FIELD_NAMES[name]] = problems
        minutes = fields.get("minutes")
        if isinstance(minutes, dict):
            meeting_fields["minutes"] = [p for problems in minutes.values() for p in problems]
        if error.code in CODE_FIELD_NAMES:
            meeting_fields[CODE_FIELD_NAMES[error.code]] = [error.message]
        message = getattr(error, "bare_message", error.message)
        show_refusal(self.meeting, type(error)(message, fields=meeting_fields, code=error.code))


def _place_on_rows(forms_typed: list, rows: list) -> None:
    for index, problems in enumerate(rows):
        if not problems or index >= len(forms_typed):
            continue
        form = forms_typed[index]
        for name, messages in problems.items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(name if name in form.fields else None, force_str(message))


def typed_share(data) -> dialogue_share.MinutesTally:
    """The dialogue share of the agenda as typed so far, by the one rule in
    dialogue/selectors/dialogue_share.py; rows without usable minutes count nothing yet."""
    agenda = AgendaFormSet(data, prefix="agenda")
    if not agenda.management_form.is_valid():
        return dialogue_share.tally([])
    rows = []
    for form in agenda.forms:
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        planned, actual = cleaned.get("planned_minutes"), cleaned.get("actual_minutes")
        kind = cleaned.get("kind")
        if kind is None or planned is None or planned <= 0 or (actual is not None and actual <= 0):
            continue
        rows.append((kind, planned, actual))
    return dialogue_share.tally(rows)
