import django_filters

from contracts.models import Contract, Obligation


class ContractFilter(django_filters.FilterSet):
    party = django_filters.NumberFilter(field_name="parties__organisation", distinct=True)

    class Meta:
        model = Contract
        fields = ["programme", "status", "purchaser", "party"]


class ObligationFilter(django_filters.FilterSet):
    class Meta:
        model = Obligation
        fields = ["contract", "owed_by", "cadence"]
