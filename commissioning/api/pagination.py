from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from commissioning.api.columns import only_shown


class BoundedPageNumberPagination(PageNumberPagination):
    """Page-number pagination that refuses, rather than silently clamps, a page size out of
    bounds: a client asking for 10,000 rows should learn that it gets at most 100."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        """The page, fetching only the columns the view's serializer shows (api/columns.py)."""
        if isinstance(queryset, QuerySet) and hasattr(view, "get_serializer"):
            queryset = only_shown(queryset, view.get_serializer())
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        """The bounds the server enforces, in the schema, so a generated client does not
        send what is refused."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size}."
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters


def page_parameters() -> list[OpenApiParameter]:
    """The page parameters for the schema of a view that paginates by hand."""
    paginator = BoundedPageNumberPagination()
    return [
        OpenApiParameter(p["name"], p["schema"], description=p["description"])
        for p in paginator.get_schema_operation_parameters(view=None)
    ]
