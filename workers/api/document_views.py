"""PDF documents: order one of a programme (briefing), meeting, consultation, contract or
rulebook version (the version, or a redline against another) (202 with a job resource to
poll), list and read them, download the PDF when done."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.base import FileView, acting_for, acting_for_parameter, file_answer
from commissioning.api.schema import Error
from commissioning.errors import Conflict, RuleViolation
from commissioning.languages import chosen_language
from commissioning.policies import Writers
from commissioning.storage import stored_file_response
from workers.api.document_serializers import (
    DocumentOrderSerializer,
    DocumentSerializer,
    RulebookDocumentOrderSerializer,
    document_order_serializer,
)
from workers.api.filters import DocumentFilter
from workers.documents import content, orders
from workers.models import Document
from workers.selectors import documents

Kind = Document.Kind


class OrderDocumentView(APIView):
    """POST …/{id}/documents/: the kind is fixed by the address, and the schema's `kind` enum
    of each address is its one kind (`get_serializer_class`)."""

    writers = Writers.PURCHASER_STAFF

    kind: str = ""

    def get_serializer_class(self):
        return document_order_serializer(self.kind)

    def kinds(self) -> tuple[str, ...]:
        return (self.kind,)

    def comparison(self, subject, kind: str, validated: dict):
        """The version a redline compares its subject with; None for every other order."""
        return None

    @extend_schema(responses={202: DocumentSerializer}, parameters=[acting_for_parameter])
    def post(self, request, pk):
        organisation = acting_for(request)
        serializer = self.order_serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data.get("kind", self.kind)
        if kind not in self.kinds():
            raise RuleViolation(
                _("Only a %(kind)s can be ordered here.") % {"kind": " / ".join(self.kinds())},
                fields={
                    "kind": [
                        _("Leave it out, or send %(kind)s.") % {"kind": " / ".join(self.kinds())}
                    ]
                },
                code="document_kind_mismatch",
            )
        subject = documents.subject_for_order(person=request.user, kind=kind, subject_id=pk)
        document, _created = orders.order_document(
            actor=request.user,
            acting_for=organisation,
            kind=kind,
            subject=subject,
            language=serializer.validated_data.get("language")
            or chosen_language(request.user)
            or content.default_language(subject),
            compared_with=self.comparison(subject, kind, serializer.validated_data),
        )
        document = documents.document_get(person=request.user, document_id=document.id)
        data = DocumentSerializer(document, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    order_serializer_class = DocumentOrderSerializer


class OrderBriefingView(OrderDocumentView):
    kind = Kind.BRIEFING


class OrderMeetingSummaryView(OrderDocumentView):
    kind = Kind.MEETING_SUMMARY


class OrderConsultationReportView(OrderDocumentView):
    kind = Kind.CONSULTATION_REPORT


class OrderContractSummaryView(OrderDocumentView):
    kind = Kind.CONTRACT_SUMMARY


class OrderRulebookDocumentView(OrderDocumentView):
    """POST /rulebook-versions/{id}/documents/: the version as a PDF (the default kind), or
    the redline from the version in `against` (by default the one it was based on)."""

    kind = Kind.RULEBOOK_VERSION
    order_serializer_class = RulebookDocumentOrderSerializer

    def get_serializer_class(self):
        return RulebookDocumentOrderSerializer

    def kinds(self) -> tuple[str, ...]:
        return (Kind.RULEBOOK_VERSION, Kind.RULEBOOK_REDLINE)

    def comparison(self, subject, kind: str, validated: dict):
        if kind != Kind.RULEBOOK_REDLINE and "against" not in validated:
            return None  # a version alone (naming `against` for it is refused by the order)
        return documents.comparison_for_order(version=subject, against=validated.get("against"))


class DocumentListView(generics.ListAPIView):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no person
            return Document.objects.none()
        return documents.document_list(person=self.request.user)


class DocumentDetailView(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer
    queryset = Document.objects.none()  # for the schema; get_object reads through the policy

    def get_object(self):
        return documents.document_get(person=self.request.user, document_id=self.kwargs["pk"])


class DocumentDownloadView(FileView):
    media_type = "application/pdf"

    @extend_schema(
        responses={
            **file_answer(media_type, "The PDF."),
            (409, "application/json"): OpenApiResponse(
                Error, description="Not rendered yet: poll the document."
            ),
        }
    )
    def get(self, request, pk):
        document = documents.document_get(person=request.user, document_id=pk)
        if document.status != Document.Status.DONE:
            raise Conflict(
                _("The document is %(status)s, not done yet: poll it until it is done.")
                % {"status": document.get_status_display()},
                code="document_not_done",
            )
        against = f"-against-{document.compared_with_id}" if document.compared_with_id else ""
        return stored_file_response(
            document.file,
            filename=f"{document.kind}-{document.subject_id}{against}-{document.language}.pdf",
            content_type="application/pdf",
            checksum=document.checksum,
        )
