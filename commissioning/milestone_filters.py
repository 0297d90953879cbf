import django_filters
from django.utils.translation import gettext_lazy as _

from commissioning import milestones
from commissioning.models import Milestone


class MilestoneFilter(django_filters.FilterSet):
    # Plain numbers, not model choices: a choice field would answer "not a valid choice" for
    # a missing id and nothing for an invisible one, telling the two apart.
    programme = django_filters.NumberFilter(field_name="programme_id")
    contract = django_filters.NumberFilter(field_name="contract_id")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=_("true: planned milestones past their due date; false: all others."),
    )

    class Meta:
        model = Milestone
        fields = ["programme", "contract", "status", "gating", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return milestones.overdue(queryset, value)
