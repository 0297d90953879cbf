"""The filters of the action lists, labelled as the pages show them."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models import ActionItem


class ActionFilters(django_filters.FilterSet):
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[("overdue", _("Overdue")), ("coming", _("Not yet due"))],
        method="filter_due",
        empty_label=_("Any date"),
    )
    title = django_filters.CharFilter(label=_("Action contains"), lookup_expr="icontains")

    class Meta:
        model = ActionItem
        fields = ["due", "title"]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(due_date__lt=today)
        return queryset.filter(due_date__gte=today)


class AssignedActionFilters(ActionFilters):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActionItem.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = ActionItem
        fields = ["status", "due", "title"]
