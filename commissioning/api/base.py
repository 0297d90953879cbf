"""What every API view shares: strict input serializers and the acting-for organisation."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.fields import bound_to_column
from commissioning.api.permissions import ACTING_FOR_HEADER
from commissioning.api.renderers import FileNegotiation, file_renderer

acting_for_parameter = OpenApiParameter(
    name=ACTING_FOR_HEADER,
    type=OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Id of the organisation this write is made for (or an acting_for field).",
)


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt field is an error, not silently lost."""

    # What a PATCH with this body takes, for the schema (api/schema.py): a view that validates
    # it whole (no partial=True) sets `patch_is_partial = False`, one that refuses an empty
    # body `patch_needs_a_field = True`.
    patch_is_partial = True
    patch_needs_a_field = False

    def get_fields(self):
        # Every whole number bounded by its database column (fields.bound_to_column).
        fields = super().get_fields()
        for field in fields.values():
            bound_to_column(field)
        return fields

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


def file_answer(media_type: str, description: str) -> dict:
    """The schema's 200 of a FileView: the file, of its one media type."""
    return {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


class FileView(APIView):
    """A view answering with a file of one `media_type` (application/pdf, text/csv,
    text/calendar): the file whatever the client accepts (renderers.FileNegotiation), never a
    406; its refusals are JSON, labelled JSON, whatever type was asked for (the schema
    documents them so, and a client parses them)."""

    media_type: str = ""
    content_negotiation_class = FileNegotiation

    def get_renderers(self):
        return [file_renderer(self.media_type)(), JSONRenderer()]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
