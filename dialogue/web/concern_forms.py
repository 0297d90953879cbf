"""The forms and filters of the concern pages, labelled as the pages show them. The rules (the
other side of a relationship, a reply-by date in the future, a resolution said) stay in
dialogue.services.concerns and come back beside the field they name."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import DomainError
from commissioning.models import Organisation, Programme
from commissioning.web.forms import show_refusal
from dialogue.models import Concern, Meeting

PROVIDER_SIDE = (Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK)
HELD = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)


class ConcernFilters(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Concern.Status.choices, empty_label=_("Any status")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        method="filter_organisation",
        empty_label=_("Any organisation"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Reply"),
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        empty_label=_("Any"),
    )

    class Meta:
        model = Concern
        fields = ["status", "organisation", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Any organisation the person sees: a relationship's page links here with the other
        # side named, whether or not a concern is between them yet.
        person = getattr(request, "user", None)
        self.filters["organisation"].queryset = policies.visible_organisations(person).order_by(
            "name"
        )

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Q(raised_by=value) | Q(raised_with=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=value == "yes")


class RefusableForm(forms.Form):
    def show_refusal(self, error: DomainError) -> None:
        show_refusal(self, error)


class RaiseForm(RefusableForm):
    raised_with = forms.ModelChoiceField(
        label=_("Raise it with"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("The concern in one line"), max_length=300)
    description = forms.CharField(
        label=_("Describe it"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reply_by = forms.DateField(
        label=_("Reply by"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )

    def __init__(self, *args, person, acting_for: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = policies.visible_organisations(person).exclude(pk=acting_for.pk)
        if acting_for.kind == Organisation.Kind.PURCHASER:
            organisations = organisations.filter(kind__in=PROVIDER_SIDE)
            programmes = policies.visible_programmes(person).filter(purchaser=acting_for)
        else:
            organisations = organisations.filter(kind=Organisation.Kind.PURCHASER)
            programmes = policies.visible_programmes(person)
        self.fields["raised_with"].queryset = organisations.order_by("name")
        self.fields["programme"].queryset = programmes.order_by("name")


class ResolveForm(RefusableForm):
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DiscussedForm(RefusableForm):
    meeting = forms.ModelChoiceField(
        label=_("Discussed at the meeting"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args, person, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            policies.visible_meetings(person)
            .filter(purchaser=concern.purchaser_id, status__in=HELD)
            .order_by("-starts_at")
        )
