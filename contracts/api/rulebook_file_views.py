"""Rulebooks in and out of files: a .docx, .odt or Markdown file imported as the next version
(a preview that saves nothing, then the save), and a version or the redline between two as
.docx. Thin views over contracts.interchange, contracts.services.rulebook_imports and
contracts.selectors.rulebooks."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.base import (
    FileView,
    InputSerializer,
    acting_for,
    acting_for_parameter,
    file_answer,
)
from commissioning.api.parsers import DepthLimitedJSONParser
from commissioning.policies import Writers
from contracts.api.rulebook_serializers import RulebookVersionDetailSerializer
from contracts.interchange.docx_export import version_docx
from contracts.interchange.files import parse_upload
from contracts.interchange.redline import redline_docx
from contracts.selectors import rulebooks as selectors
from contracts.services import rulebook_imports

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ImportInputSerializer(InputSerializer):
    # Required in the schema, as it is: a client that sends none is told what to choose.
    file = serializers.FileField(
        help_text="The rulebook as .docx, .odt or Markdown (.md).",
        error_messages={
            "required": _("Choose a .docx, .odt or Markdown (.md) file of the rulebook to import.")
        },
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class ImportPreviewSerializer(serializers.Serializer):
    based_on = serializers.DictField(allow_null=True)
    next_number = serializers.IntegerField()
    open_draft = serializers.DictField(allow_null=True)
    clauses = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.DictField())


class _ImportView(APIView):
    writers = Writers.PURCHASER_STAFF
    parser_classes = [MultiPartParser, DepthLimitedJSONParser]

    def _read(self, request, pk):
        rulebook = selectors.rulebook_get(person=request.user, rulebook_id=pk)
        organisation = acting_for(request)
        serializer = ImportInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data.get("file")
        return rulebook, organisation, parse_upload(upload), serializer.validated_data, upload


class RulebookImportPreviewView(_ImportView):
    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses=ImportPreviewSerializer,
        parameters=[acting_for_parameter],
        summary="The clauses a file would make as the next version; nothing is saved",
    )
    def post(self, request, pk):
        rulebook, organisation, parsed, _data, _upload = self._read(request, pk)
        preview = rulebook_imports.preview_import(
            actor=request.user, acting_for=organisation, rulebook=rulebook, parsed=parsed
        )
        return Response(preview)


class RulebookImportView(_ImportView):
    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={201: RulebookVersionDetailSerializer},
        parameters=[acting_for_parameter],
        summary="Import a file as the next version of the rulebook (a draft)",
    )
    def post(self, request, pk):
        rulebook, organisation, parsed, data, upload = self._read(request, pk)
        version = rulebook_imports.import_rulebook_version(
            actor=request.user,
            acting_for=organisation,
            rulebook=rulebook,
            parsed=parsed,
            summary=data.get("summary", ""),
            source=upload.name,
        )
        version = selectors.version_get(person=request.user, version_id=version.pk)
        return Response(
            RulebookVersionDetailSerializer(version).data, status=status.HTTP_201_CREATED
        )


def docx_response(content: bytes, filename: str) -> HttpResponse:
    answer = HttpResponse(content, content_type=DOCX)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


def version_filename(version, suffix: str = "") -> str:
    name = slugify(version.rulebook.title) or "rulebook"
    return f"{name}-v{version.number}{suffix}.docx"


class RulebookVersionDocxView(FileView):
    media_type = DOCX

    @extend_schema(
        responses=file_answer(DOCX, "The version's clauses as a Word document."),
        operation_id="rulebook_versions_docx",
    )
    def get(self, request, pk):
        """The version as .docx, in the language asked for (Accept-Language) for the
        document's own words."""
        version = selectors.version_get(person=request.user, version_id=pk)
        return docx_response(
            version_docx(version, list(version.clauses.all())), version_filename(version)
        )


class RulebookVersionRedlineView(FileView):
    media_type = DOCX

    @extend_schema(
        parameters=[
            OpenApiParameter(
                name="against",
                type=OpenApiTypes.INT,
                location=OpenApiParameter.QUERY,
                required=False,
                description="The older version of the same rulebook (default: the one before).",
            )
        ],
        responses=file_answer(DOCX, "Tracked insertions and deletions, moved clauses named."),
        operation_id="rulebook_versions_redline",
    )
    def get(self, request, pk):
        """The changes from `against` to this version as .docx with tracked changes."""
        version = selectors.version_get(person=request.user, version_id=pk)
        old = selectors.version_for_diff(
            version=version,
            against_id=selectors.redline_base(
                version=version, against=request.query_params.get("against")
            ),
        )
        content = redline_docx(old, version, list(old.clauses.all()), list(version.clauses.all()))
        return docx_response(content, version_filename(version, f"-redline-v{old.number}"))
