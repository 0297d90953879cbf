"""The forms of the rulebook pages, labelled as the pages show them. They check only what a
form must (a field is there, not too long); every rule of the domain (a clause number is
numbers separated by dots and free in its version, a draft is edited, one draft at a time)
stays in contracts.services and reaches the person in its words, beside the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.errors import DomainError
from commissioning.web.forms import show_refusal


class RefusableForm(forms.Form):
    def show_refusal(self, error: DomainError) -> None:
        show_refusal(self, error)


class NewVersionForm(RefusableForm):
    summary = forms.CharField(
        label=_("What this version changes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClauseForm(RefusableForm):
    key = forms.CharField(label=_("Clause number"), max_length=20)
    heading = forms.CharField(label=_("Heading"), max_length=300)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class CompareForm(RefusableForm):
    """Which version to compare with: the selector contracts.selectors.rulebooks.
    version_for_diff decides what is a version of the same rulebook, as for the API."""

    against = forms.TypedChoiceField(label=_("Compare with version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].choices = [
            (
                version.pk,
                _("Version %(number)s (%(status)s)")
                % {"number": version.number, "status": version.get_status_display()},
            )
            for version in versions
        ]
