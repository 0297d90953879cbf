"""Filters of the dialogue API's lists."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from commissioning import policies
from commissioning.api.filters import VisibleFilterSet
from commissioning.models import Organisation
from dialogue.models import ActionItem, AgendaItem, Arena, Comment, Concern, Consultation, Meeting
from dialogue.selectors import dialogue_share

# --- consultations and comments ------------------------------------------------------------


class ConsultationFilter(VisibleFilterSet):
    class Meta:
        model = Consultation
        fields = ["programme", "status", "rulebook_version"]


class CommentFilter(VisibleFilterSet):
    # `answered` only reads whether a response exists; responses themselves are elsewhere.
    answered = django_filters.BooleanFilter(
        method="filter_answered",
        help_text=_(
            "true: the purchaser has responded; false: still without a response. Available "
            "to participants once responses are published at the close."
        ),
    )

    def filter_answered(self, queryset, name, value):
        if value is None:
            return queryset
        consultation = self.request.parser_context["view"]._consultation()
        if not policies.may_read_responses(self.request.user, consultation):
            raise ValidationError(
                {"answered": [_("Responses are published at the close; filter by them after it.")]}
            )
        return queryset.filter(answered=value)

    class Meta:
        model = Comment
        fields = ["clause", "kind", "organisation", "status", "answered"]


# --- arenas, meetings, agenda and actions, concerns ------------------------------------------


class ArenaFilter(VisibleFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    member = django_filters.ModelChoiceFilter(
        field_name="members", queryset=Organisation.objects.all()
    )

    class Meta:
        model = Arena
        fields = ["kind", "purchaser", "name", "member"]


class MeetingFilter(VisibleFilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    information_heavy = django_filters.BooleanFilter(
        method="filter_information_heavy",
        help_text=_("Meetings under one third dialogue (true) or not (false)."),
    )

    class Meta:
        model = Meeting
        fields = ["arena", "programme", "status", "starts_after", "starts_before"]

    def filter_information_heavy(self, queryset, name, value):
        # Works on the with_minutes annotations of the meeting selectors.
        condition = dialogue_share.information_heavy_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AgendaItemFilter(VisibleFilterSet):
    class Meta:
        model = AgendaItem
        fields = ["meeting", "kind"]


class ActionItemFilter(VisibleFilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")

    class Meta:
        model = ActionItem
        fields = ["meeting", "status", "owner_organisation", "due_before"]


class ConcernFilter(VisibleFilterSet):
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue",
        help_text=_("true: still not acknowledged after the reply-by date; false: the others."),
    )

    class Meta:
        model = Concern
        fields = ["status", "purchaser", "raised_by", "raised_with", "programme", "overdue"]
