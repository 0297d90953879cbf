"""Thin views of responses, the consultation summary, "you said, we did" and the CSV export:
read through a selector, write through one service, answer with a serializer."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.base import FileView, acting_for, acting_for_parameter, file_answer
from commissioning.policies import Writers
from dialogue.api.response_serializers import (
    ConsultationSummarySerializer,
    ResponseInputSerializer,
    ResponseSerializer,
    YouSaidWeDidSerializer,
)
from dialogue.selectors import consultation_export, consultation_summary
from dialogue.selectors import responses as response_selectors
from dialogue.services import responses


def _response_answer(request, response, status_code=status.HTTP_200_OK):
    published = policies.responses_published(response.comment.consultation)
    return Response(
        ResponseSerializer(response, context={"published": published}).data, status=status_code
    )


class CommentResponseView(APIView):
    writers = Writers.PURCHASER_STAFF

    @extend_schema(responses=ResponseSerializer, operation_id="comments_response_show")
    def get(self, request, pk):
        """The purchaser's response to a comment. Participants read it once the
        consultation has closed; the purchaser's staff read drafts at any time."""
        comment = response_selectors.comment_for_response(person=request.user, comment_id=pk)
        return _response_answer(
            request, response_selectors.response_get(person=request.user, comment=comment)
        )

    @extend_schema(
        request=ResponseInputSerializer,
        responses={200: ResponseSerializer, 201: ResponseSerializer},
        parameters=[acting_for_parameter],
        operation_id="comments_response_save",
    )
    def put(self, request, pk):
        """Write or replace the response to a comment (the purchaser's managers and
        officers). Drafts may be written during the window; they are published at the
        close. 201 when created, 200 when replaced."""
        comment = response_selectors.comment_for_response(person=request.user, comment_id=pk)
        organisation = acting_for(request)
        serializer = ResponseInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        response, created = responses.save_response(
            actor=request.user,
            acting_for=organisation,
            comment=comment,
            outcome=serializer.validated_data["outcome"],
            reason=serializer.validated_data["reason"],
            changed_clause=serializer.validated_data.get("changed_clause"),
        )
        return _response_answer(
            request, response, status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ConsultationSummaryView(APIView):
    @extend_schema(
        responses=ConsultationSummarySerializer, operation_id="consultations_summary_show"
    )
    def get(self, request, pk):
        """Comments by clause, kind, ownership and network; share answered; median response
        time in hours; invited organisations that did not comment. Over the comments you
        can see."""
        consultation = consultation_summary.consultation_for_reading(
            person=request.user, consultation_id=pk
        )
        summary = consultation_summary.consultation_summary(
            person=request.user, consultation=consultation
        )
        return Response(ConsultationSummarySerializer(summary).data)


class YouSaidWeDidView(APIView):
    @extend_schema(responses=YouSaidWeDidSerializer, operation_id="consultations_you_said_we_did")
    def get(self, request, pk):
        """Clause by clause: the comments, their responses and what the next version of the
        rulebook did to the clause."""
        consultation = consultation_summary.consultation_for_reading(
            person=request.user, consultation_id=pk
        )
        report = consultation_summary.you_said_we_did(
            person=request.user, consultation=consultation
        )
        return Response(YouSaidWeDidSerializer(report).data)


class CommentCSVView(FileView):
    media_type = "text/csv"

    @extend_schema(
        responses=file_answer(media_type, "The comments and their responses."),
        operation_id="consultations_comments_csv",
    )
    def get(self, request, pk):
        """The comments you can see with their responses, as CSV (UTF-8 with BOM, for
        Excel in any locale)."""
        consultation = consultation_summary.consultation_for_reading(
            person=request.user, consultation_id=pk
        )
        content = consultation_export.comments_csv(person=request.user, consultation=consultation)
        answer = HttpResponse(content, content_type="text/csv; charset=utf-8")
        answer["Content-Disposition"] = (
            f'attachment; filename="{consultation_export.csv_filename(consultation)}"'
        )
        return answer
