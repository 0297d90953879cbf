import django_filters

from commissioning.api.filters import VisibleFilterSet
from contracts.models import Contract, Obligation


class ContractFilter(VisibleFilterSet):
    party = django_filters.NumberFilter(field_name="parties__organisation", distinct=True)

    class Meta:
        model = Contract
        fields = ["programme", "status", "purchaser", "party"]


class ObligationFilter(VisibleFilterSet):
    class Meta:
        model = Obligation
        fields = ["contract", "owed_by", "cadence"]
