"""The filters and forms of the milestone pages, labelled as the pages show them."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.models import Milestone, MilestoneEvidence


class MilestoneFilters(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=None, empty_label=_("Any programme")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Milestone.Status.choices, empty_label=_("Any status")
    )
    gating = django_filters.ChoiceFilter(
        label=_("Gating"),
        choices=[("yes", _("Gating only")), ("no", _("Not gating"))],
        method="filter_gating",
        empty_label=_("Gating or not"),
    )

    class Meta:
        model = Milestone
        fields = ["programme", "status", "gating"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["programme"].queryset = policies.visible_programmes(request.user).order_by(
            "name"
        )

    def filter_gating(self, queryset, name, value):
        return queryset.filter(gating=value == "yes")


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MetForm(forms.Form):
    met_on = forms.DateField(label=_("Met on"), required=False, widget=_date_input())
    evidence_kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=[
            (MilestoneEvidence.Kind.LINK, MilestoneEvidence.Kind.LINK.label),
            (MilestoneEvidence.Kind.DOCUMENT, MilestoneEvidence.Kind.DOCUMENT.label),
        ],
    )
    evidence_title = forms.CharField(label=_("What shows it was met"), max_length=200)
    evidence_url = forms.URLField(
        label=_("Link to the evidence"), max_length=200, required=False, assume_scheme="https"
    )


# Where each field a service names is typed on the met form.
MET_FIELD_NAMES = {"title": "evidence_title", "url": "evidence_url", "kind": "evidence_kind"}


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is waived"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ApplyTemplateForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.name) for p in programmes]
