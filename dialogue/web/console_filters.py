"""The filters of the console's comment list, labelled as the page shows them."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation
from contracts.models import Clause
from dialogue.models import Comment, CoSignature

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CommentFilters(django_filters.FilterSet):
    clause = django_filters.ModelChoiceFilter(
        label=_("Clause"), queryset=Clause.objects.none(), empty_label=_("Any clause")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Comment.Kind.choices, empty_label=_("Any kind")
    )
    answered = django_filters.ChoiceFilter(
        label=_("Answered"),
        choices=YES_NO,
        method="filter_answered",
        empty_label=_("Answered or not"),
    )
    network = django_filters.ChoiceFilter(
        label=_("From a network"),
        choices=YES_NO,
        method="filter_network",
        empty_label=_("Networks or not"),
    )
    cosigned = django_filters.ChoiceFilter(
        label=_("Co-signed"),
        choices=YES_NO,
        method="filter_cosigned",
        empty_label=_("Co-signed or not"),
    )

    class Meta:
        model = Comment
        fields = ["clause", "organisation", "kind", "answered", "network", "cosigned"]

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        commented = self.queryset.values("organisation_id")
        self.filters["organisation"].queryset = Organisation.objects.filter(
            id__in=commented
        ).order_by("name")
        clauses = Clause.objects.none()
        if consultation is not None and consultation.rulebook_version_id is not None:
            clauses = Clause.objects.filter(version_id=consultation.rulebook_version_id).order_by(
                "position", "key"
            )
        self.filters["clause"].queryset = clauses

    def filter_answered(self, queryset, name, value):
        return queryset.filter(response__isnull=value != "yes")

    def filter_network(self, queryset, name, value):
        network = Organisation.Kind.PROVIDER_NETWORK
        if value == "yes":
            return queryset.filter(organisation__kind=network)
        return queryset.exclude(organisation__kind=network)

    def filter_cosigned(self, queryset, name, value):
        signed = CoSignature.objects.filter(comment=OuterRef("pk"), withdrawn_at__isnull=True)
        return queryset.filter(Exists(signed) if value == "yes" else ~Exists(signed))
