import django_filters
from django.utils.translation import gettext_lazy as _

from commissioning.api.filters import VisibleFilterSet
from notifications.models import Notice


class NoticeFilter(VisibleFilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label=_("Only the unread (true) or only the read (false)."),
    )

    class Meta:
        model = Notice
        fields = ["unread"]
