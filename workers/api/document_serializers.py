import functools

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.fields import VisibleId
from commissioning.models import Programme
from contracts.models import RulebookVersion
from workers.models import Document


class DocumentOrderSerializer(InputSerializer):
    kind = serializers.ChoiceField(
        choices=Document.Kind.choices,
        required=False,
        help_text=_("Optional: the kind follows from the address (a programme gives a briefing)."),
    )
    language = serializers.ChoiceField(
        choices=Programme.Language.choices,
        required=False,
        help_text=_(
            "sv, nb or en; when left out, the language chosen on your profile, else the "
            "programme's."
        ),
    )


@functools.cache
def document_order_serializer(kind: str) -> type[DocumentOrderSerializer]:
    """The order body of the address that orders `kind`, for the schema: its `kind` takes that
    one value (the view refuses another with a message saying which one it takes)."""
    label = Document.Kind(kind).label
    name = "".join(part.title() for part in kind.split("_"))
    field = serializers.ChoiceField(
        choices=[(kind, label)],
        required=False,
        help_text=_("Optional: the one kind this address orders."),
    )
    return type(f"{name}OrderSerializer", (DocumentOrderSerializer,), {"kind": field})


class RulebookDocumentOrderSerializer(DocumentOrderSerializer):
    """The order body of a rulebook version's documents: the version, or the redline between
    it and the version named in `against`."""

    kind = serializers.ChoiceField(
        choices=[
            (kind, Document.Kind(kind).label)
            for kind in (Document.Kind.RULEBOOK_VERSION, Document.Kind.RULEBOOK_REDLINE)
        ],
        required=False,
        help_text=_(
            "rulebook_version (the default): the version as a PDF; rulebook_redline: the "
            "changes from the version in `against` to this one."
        ),
    )
    against = VisibleId(
        RulebookVersion,
        required=False,
        help_text=_(
            "For a redline: the id of the version of the same rulebook to compare with; when "
            "left out, the version this one was based on, else the one before it."
        ),
    )


class DocumentSerializer(serializers.ModelSerializer):
    """The job resource: poll it until `status` is done, then follow `download_url`."""

    subject_type = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "kind",
            "subject_type",
            "subject_id",
            "compared_with",
            "language",
            "status",
            "progress",
            "error",
            "download_url",
            "checksum",
            "size",
            "pages",
            "inputs_hash",
            "purchaser",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_subject_type(self, document) -> str:
        return f"{document.subject_type.app_label}.{document.subject_type.model}"

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, document) -> str:
        return self._absolute(reverse("document-detail", args=[document.id]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, document) -> str | None:
        if document.status != Document.Status.DONE:
            return None
        return self._absolute(reverse("document-download", args=[document.id]))
