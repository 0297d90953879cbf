"""The forms of a contract's page: a new version (an amendment once signed), the two versions
to compare, and the reason to terminate. The forms check only what a form must; every rule of
the contract (what changes, when) stays in contracts.services and reaches the person in its
words, beside the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import ContractVersion
from contracts.terms import terms_of_values

# The terms the version form offers, in the order the page shows them.
VERSION_TERMS = [
    "title",
    "period_start",
    "period_end",
    "value",
    "currency",
    "notice_period_months",
    "renewal_options",
    "clinical_governance",
    "pathway_development",
]


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _text_area():
    return forms.Textarea(attrs={"rows": 3})


class VersionForm(forms.Form):
    change_summary = forms.CharField(
        label=_("What changes in this version"), widget=_text_area(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period start"), required=False, widget=_date_input())
    period_end = forms.DateField(label=_("Period end"), required=False, widget=_date_input())
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=2, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    notice_period_months = forms.IntegerField(
        label=_("Notice period (months)"), min_value=0, max_value=1200, required=False
    )
    renewal_options = forms.CharField(
        label=_("Renewal options"), widget=_text_area(), required=False
    )
    clinical_governance = forms.CharField(
        label=_("Clinical-governance arrangements"), widget=_text_area(), required=False
    )
    pathway_development = forms.CharField(
        label=_("Pathway-development terms"), widget=_text_area(), required=False
    )

    @classmethod
    def for_version(cls, version: ContractVersion) -> "VersionForm":
        terms = terms_of_values(version)
        return cls(initial={name: terms[name] for name in VERSION_TERMS}, prefix="version")

    def changes(self, version: ContractVersion) -> dict:
        """The terms typed differently from the current version's, for the service."""
        current = terms_of_values(version)
        data = self.cleaned_data
        changed = {}
        for name in VERSION_TERMS:
            value = data.get(name)
            if value is None:
                value = current_empty(name)
            if value != current[name]:
                changed[name] = value
        return changed


def current_empty(name: str):
    """The empty value of a term: "" for texts, None for dates and numbers."""
    field = ContractVersion._meta.get_field(name)
    return "" if field.get_internal_type() in {"CharField", "TextField"} else None


class DiffForm(forms.Form):
    first = forms.TypedChoiceField(label=_("From version"), coerce=int)
    second = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Reason for terminating"), widget=_text_area(), required=False)
