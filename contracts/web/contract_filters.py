"""The filters of the contract list page, labelled as the page shows them; the programmes and
providers offered are those the person sees (policies.visible_programmes and
visible_organisations)."""

import datetime

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.models import Organisation
from contracts.models import Contract, ContractVersion


def with_current_terms(queryset):
    """Each contract with its current (latest) title and period end, to sort and filter on."""
    latest = ContractVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    return queryset.annotate(
        current_title=Subquery(latest.values("title")[:1]),
        current_period_end=Subquery(latest.values("period_end")[:1]),
    )


class ContractFilters(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Contract.Status.choices, empty_label=_("Any status")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=None, empty_label=_("Any programme")
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"),
        field_name="parties__organisation",
        queryset=None,
        empty_label=_("Any provider"),
        distinct=True,
    )
    ending_within = django_filters.NumberFilter(
        label=_("Ending within (days)"),
        method="filter_ending_within",
        min_value=0,
        max_value=36500,
    )

    class Meta:
        model = Contract
        fields = ["status", "programme", "provider", "ending_within"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        person = request.user
        self.filters["programme"].queryset = policies.visible_programmes(person).order_by("name")
        self.filters["provider"].queryset = (
            policies.visible_organisations(person)
            .filter(kind__in=[Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK])
            .order_by("name")
        )

    def filter_ending_within(self, queryset, name, value):
        today = timezone.localdate()
        end = today + datetime.timedelta(days=int(value))
        return queryset.filter(current_period_end__gte=today, current_period_end__lte=end)
