"""What every API view shares: strict input serializers and the acting-for organisation."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.permissions import ACTING_FOR_HEADER

acting_for_parameter = OpenApiParameter(
    name=ACTING_FOR_HEADER,
    type=OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Id of the organisation this write is made for (or an acting_for field).",
)


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt field is an error, not silently lost."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields) - {"acting_for"})
            if unknown:
                raise ValidationError(
                    {
                        name: [_("Unknown field; remove it or check its spelling.")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


def acting_for(request):
    """The organisation a write acts for, from the X-Acting-For header or an acting_for field;
    the person must be a member of it."""
    raw = request.headers.get(ACTING_FOR_HEADER)
    if raw is None and isinstance(request.data, dict):
        raw = request.data.get("acting_for")
    organisation_id = None
    if raw is not None and raw != "":
        try:
            organisation_id = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                {"acting_for": [_("Give the id (a whole number) of your organisation.")]}
            ) from None
    return policies.require_acting_for(request.user, organisation_id)


class FileView(APIView):
    """A view answering with a file (text/calendar, text/csv) that must still let clients
    asking for that type past content negotiation: its refusals are JSON, labelled JSON,
    whatever type was asked for (the schema documents them so, and a client parses them)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
