import django_filters

from commissioning.api.filters import VisibleFilterSet
from commissioning.models import Organisation
from contracts.models import Contract, Obligation


class ContractFilter(VisibleFilterSet):
    party = django_filters.ModelChoiceFilter(
        field_name="parties__organisation", queryset=Organisation.objects.all(), distinct=True
    )

    class Meta:
        model = Contract
        fields = ["programme", "status", "purchaser", "party"]


class ObligationFilter(VisibleFilterSet):
    class Meta:
        model = Obligation
        fields = ["contract", "owed_by", "cadence"]
