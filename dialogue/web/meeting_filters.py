"""The filters of the meeting list page, labelled as the page shows them."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models import Meeting


class MeetingFilters(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Any status")
    )
    title = django_filters.CharFilter(label=_("Title contains"), lookup_expr="icontains")

    class Meta:
        model = Meeting
        fields = ["when", "status", "title"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        return queryset.filter(starts_at__lt=now)
