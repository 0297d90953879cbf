"""Filters of the dialogue API's lists."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from commissioning import policies
from dialogue.models import Comment, Consultation

# --- consultations and comments ------------------------------------------------------------


class ConsultationFilter(django_filters.FilterSet):
    class Meta:
        model = Consultation
        fields = ["programme", "status", "rulebook_version"]


class CommentFilter(django_filters.FilterSet):
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
