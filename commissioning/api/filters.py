import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from commissioning import policies
from commissioning.models import Event, Milestone, Organisation, Programme
from commissioning.selectors import milestones as milestone_selectors


class VisibleFilterSet(django_filters.FilterSet):
    """The base of every list filter: a filter that takes an id chooses among the rows the
    person may see (policies.visible_rows), so a hidden id is refused exactly as a missing one
    ("Select a valid choice"), never answered with an empty page that tells it exists. An id
    filter is a model choice filter (one or several), declared or generated from Meta.fields;
    a plain number filter on a relation would tell a hidden id from a missing one, and
    tests/authorization/test_hidden_ids.py refuses it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        named = set(self.data or ())
        for name, id_filter in self.filters.items():
            if isinstance(id_filter, QuerySetRequestMixin):
                model = id_filter.queryset.model
                # The person's visible rows only for a filter the request names: the form
                # field of every filter is made on every request, and building the policy's
                # query for those not given was 40 % of a small list's time (arenas).
                id_filter.queryset = lambda request, model=model, given=name in named: (
                    policies.visible_rows(model, request.user)
                    if request is not None and given
                    else model.objects.none()
                )


class VisibleFilterBackend(DjangoFilterBackend):
    """The API's filter backend: the filter set a view generates from `filterset_fields` is a
    VisibleFilterSet too, and a declared `filterset_class` must be one."""

    filterset_base = VisibleFilterSet

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(filterset_class, VisibleFilterSet):
            raise ImproperlyConfigured(
                f"{type(view).__name__}.filterset_class must be a VisibleFilterSet, so that its "
                "id filters choose among the rows the person may see."
            )
        return filterset_class


class OrganisationFilter(VisibleFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["kind", "ownership", "country", "name"]


class ProgrammeFilter(VisibleFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    participant = django_filters.ModelChoiceFilter(
        field_name="participation__organisation", queryset=Organisation.objects.all()
    )

    class Meta:
        model = Programme
        fields = ["framework", "phase", "language", "purchaser", "name", "participant"]


class EventFilter(VisibleFilterSet):
    subject_type = django_filters.CharFilter(
        method="filter_subject_type",
        help_text=_("app_label.model, e.g. commissioning.programme"),
    )
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["subject_type", "subject_id", "verb", "acting_for"]

    def filter_subject_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            raise ValidationError(
                {"subject_type": [_("Unknown subject type; write it as app_label.model.")]}
            ) from None
        return queryset.filter(subject_type=content_type)


class MilestoneFilter(VisibleFilterSet):
    # Chosen among the visible rows (VisibleFilterSet), as every id filter; the contract model
    # sits in a higher app, so it is reached through the foreign key.
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())
    contract = django_filters.ModelChoiceFilter(
        queryset=Milestone._meta.get_field("contract").related_model.objects.all()
    )
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
        return milestone_selectors.overdue(queryset, value)
