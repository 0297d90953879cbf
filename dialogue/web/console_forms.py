"""Forms of the consultations console. They only shape what was typed: times are read in the
programme's time zone, and every rule (a draft to consult on, the close after the open, a day's
notice once open, a reason for each response) is the service's, whose refusal comes back on
the form beside the field the page labels."""

import datetime
import zoneinfo

from django import forms
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from commissioning.errors import DomainError
from commissioning.web.forms import show_refusal
from dialogue.models import Consultation, Response

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


def local_field(label):
    return forms.DateTimeField(
        label=label, input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"], widget=LocalTimeInput()
    )


def in_zone(value: datetime.datetime, time_zone: str) -> datetime.datetime:
    """A time typed on the page, read in the programme's time zone (the form's fields are
    naive: the server's zone is nobody's)."""
    return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(time_zone))


# The service's field messages that name another field by its code name, in the page's words.
FIELD_MESSAGES = {
    "closes_before_opening": _("Must be after the time it opens."),
}


def show_service_refusal(form: forms.Form, error: DomainError, names: dict[str, str]) -> None:
    """commissioning/web/forms.py::show_refusal, with the field messages that name another
    field by its code name said in the page's words."""
    if error.code in FIELD_MESSAGES and error.fields:
        error = type(error)(
            error.message,
            fields={name: [FIELD_MESSAGES[error.code]] for name in error.fields},
            code=error.code,
        )
    show_refusal(form, error, names)


def refusal_form(error: DomainError) -> forms.Form:
    """A form of no fields holding a service's refusal of a button (open, close, adopt), for
    the page's error summary."""
    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, force_str(error.message))
    return form


class ScheduleForm(forms.Form):
    """A new consultation on a draft rulebook version of the acting purchaser."""

    rulebook_version = forms.TypedChoiceField(label=_("Rulebook version"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = local_field(_("Opens"))
    closes_at = local_field(_("Closes"))
    visibility = forms.ChoiceField(
        label=_("Who reads the comments before the close"),
        choices=Consultation.Visibility.choices,
        initial=Consultation.Visibility.PRIVATE_UNTIL_CLOSE,
    )
    public = forms.BooleanField(
        label=_("Publish after the close"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_public_hint"}),
        help_text=_(
            "The consultation, every comment with its organisation and your responses, on a "
            "public page, in an Atom feed and as OCDS. No person's name or email address."
        ),
    )

    SERVICE_NAMES = {
        "rulebook_version": "rulebook_version",
        "title": "title",
        "opens_at": "opens_at",
        "closes_at": "closes_at",
        "invited": "rulebook_version",
    }

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {version.pk: version for version in versions}
        self.fields["rulebook_version"].choices = [
            (
                version.pk,
                _("%(rulebook)s, version %(number)s (%(programme)s)")
                % {
                    "rulebook": version.rulebook.title,
                    "number": version.number,
                    "programme": version.rulebook.programme.name,
                },
            )
            for version in versions
        ]


class ExtendForm(forms.Form):
    """A new close time: later at any time before the close; earlier (closing early) only to
    at least a day from now once open."""

    closes_at = local_field(_("New close time"))

    SERVICE_NAMES = {"closes_at": "closes_at"}


class ResponseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Response.Outcome.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,  # the service says what an empty reason lacks
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    changed_clause = forms.TypedChoiceField(
        label=_("What changes in the next version"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    SERVICE_NAMES = {"outcome": "outcome", "reason": "reason", "changed_clause": "changed_clause"}

    def __init__(self, *args, later_clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_clause"].choices = [
            ("", _("Nothing: the text does not change")),
            *(
                (
                    clause.pk,
                    _("Version %(number)s, clause %(key)s %(heading)s")
                    % {
                        "number": clause.version.number,
                        "key": clause.key,
                        "heading": clause.heading,
                    },
                )
                for clause in later_clauses
            ),
        ]
