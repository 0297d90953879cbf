"""Filters of the concern list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dialogue.models import Concern


class ConcernFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue",
        help_text=_("true: still not acknowledged after the reply-by date; false: the others."),
    )

    class Meta:
        model = Concern
        fields = ["status", "purchaser", "raised_by", "raised_with", "programme", "overdue"]
