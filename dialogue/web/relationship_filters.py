"""The filters of the relationship list. Relationship health is a list the selector makes in
Python (dialogue/selectors/relationships.py), not a queryset, so its filters are a form with
the FilterSet's face that page_list uses (`form`, `is_valid()`, `qs`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RelationshipFilterForm(forms.Form):
    purchaser = forms.TypedChoiceField(
        label=_("Purchaser"), coerce=int, required=False, empty_value=None
    )
    provider = forms.TypedChoiceField(
        label=_("Provider or network"), coerce=int, required=False, empty_value=None
    )
    alert = forms.ChoiceField(
        label=_("Meetings"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("No meeting lately")),
            ("no", _("Met lately")),
        ],
    )


class RelationshipFilters:
    def __init__(self, data, *, queryset, request=None):
        self.rows = list(queryset)
        self.form = RelationshipFilterForm(data)
        purchasers = sorted(
            {(r.purchaser_id, r.purchaser_name) for r in self.rows}, key=lambda p: p[1]
        )
        providers = sorted(
            {(r.provider_id, r.provider_name) for r in self.rows}, key=lambda p: p[1]
        )
        self.form.fields["purchaser"].choices = [("", _("Any purchaser")), *purchasers]
        self.form.fields["provider"].choices = [("", _("Any provider")), *providers]

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def qs(self) -> list:
        wanted = self.form.cleaned_data
        rows = self.rows
        if wanted.get("purchaser"):
            rows = [r for r in rows if r.purchaser_id == wanted["purchaser"]]
        if wanted.get("provider"):
            rows = [r for r in rows if r.provider_id == wanted["provider"]]
        if wanted.get("alert"):
            rows = [r for r in rows if r.no_meeting_alert == (wanted["alert"] == "yes")]
        return rows
