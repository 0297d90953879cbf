"""Consultations and their comments. Thin views: read through dialogue.selectors.consultations,
write through one service of dialogue.services.consultations or .comments, answer with a
serializer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.errors import RuleViolation
from commissioning.policies import Writers
from dialogue.api.consultation_serializers import (
    CommentEditSerializer,
    CommentInputSerializer,
    CommentRevisionSerializer,
    CommentSerializer,
    ConsultationExtendSerializer,
    ConsultationInputSerializer,
    ConsultationSerializer,
    ConsultationUpdateSerializer,
    EmptyConsultationInputSerializer,
)
from dialogue.api.filters import CommentFilter, ConsultationFilter
from dialogue.models import Comment, Consultation
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comment_stages, comments, consultations


class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Comment windows on draft rulebook versions (or contract versions in dialogue):
    scheduled → open → closed. Times are instants with an offset; `time_zone` and the
    `*_local` fields give them in the programme's time zone."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilter
    ordering_fields = ["opens_at", "closes_at", "id"]
    ordering = ["-opens_at", "id"]
    queryset = Consultation.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return consultation_selectors.consultation_list(person=self.request.user)

    def get_object(self):
        return consultation_selectors.consultation_get(
            person=self.request.user, consultation_id=self.kwargs["pk"]
        )

    def _answer(self, consultation, status_code=status.HTTP_200_OK):
        consultation = consultation_selectors.consultation_get(
            person=self.request.user, consultation_id=consultation.pk
        )
        return Response(ConsultationSerializer(consultation).data, status=status_code)

    @extend_schema(
        request=ConsultationInputSerializer,
        responses={201: ConsultationSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = ConsultationInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        consultation = consultations.create_consultation(
            actor=request.user, acting_for=organisation, **serializer.validated_data
        )
        return self._answer(consultation, status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsultationUpdateSerializer,
        responses=ConsultationSerializer,
        parameters=[acting_for_parameter],
        summary="Change a scheduled consultation",
    )
    def partial_update(self, request, pk=None):
        consultation = self.get_object()
        organisation = acting_for(request)
        serializer = ConsultationUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            raise RuleViolation(_("Send at least one field to change."))
        consultation = consultations.update_consultation(
            actor=request.user,
            acting_for=organisation,
            consultation=consultation,
            **serializer.validated_data,
        )
        return self._answer(consultation)

    def _transition(self, request, service):
        consultation = self.get_object()
        organisation = acting_for(request)
        EmptyConsultationInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        consultation = service(
            actor=request.user, acting_for=organisation, consultation=consultation
        )
        return self._answer(consultation)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=ConsultationSerializer,
        parameters=[acting_for_parameter],
        summary="Scheduled → open (purchaser staff); the rulebook version goes into consultation",
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._transition(request, consultations.open_consultation)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=ConsultationSerializer,
        parameters=[acting_for_parameter],
        summary="Open → closed, once the close time has passed (purchaser staff)",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, consultations.close_consultation)

    @extend_schema(
        request=ConsultationExtendSerializer,
        responses=ConsultationSerializer,
        parameters=[acting_for_parameter],
        summary="Move the close time (later; earlier only to at least 24 h from now)",
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        consultation = self.get_object()
        organisation = acting_for(request)
        serializer = ConsultationExtendSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        consultation = consultations.extend_consultation(
            actor=request.user,
            acting_for=organisation,
            consultation=consultation,
            closes_at=serializer.validated_data["closes_at"],
        )
        return self._answer(consultation)


def comment_input(request) -> dict:
    """A new comment's (or joint draft's) fields as the services take them: the body
    validated, and the clause named read through the policy (VisibleRow)."""
    serializer = CommentInputSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ConsultationCommentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The comments of one consultation, as far as its visibility lets the person read them;
    POST submits one for the organisation in X-Acting-For."""

    writers = Writers.PROVIDERS

    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    ordering_fields = ["submitted_at", "id"]
    ordering = ["submitted_at", "id"]
    queryset = Comment.objects.none()  # for the schema; get_queryset decides

    def _consultation(self):
        if not hasattr(self, "_cached_consultation"):
            self._cached_consultation = consultation_selectors.consultation_get(
                person=self.request.user, consultation_id=self.kwargs["consultation_pk"]
            )
        return self._cached_consultation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return consultation_selectors.comment_list(
            person=self.request.user, consultation=self._consultation()
        )

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: CommentSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request, consultation_pk=None):
        consultation = self._consultation()
        organisation = acting_for(request)
        data = comment_input(request)
        comment = comments.submit_comment(
            actor=request.user, acting_for=organisation, consultation=consultation, **data
        )
        comment = consultation_selectors.comment_as_submitted(
            person=request.user, consultation=consultation, comment=comment
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One comment: its current text, co-signers and history; edited, withdrawn and co-signed
    until the consultation closes."""

    writers = Writers.PROVIDERS

    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for the schema; get_object decides

    def get_object(self):
        return consultation_selectors.comment_get(
            person=self.request.user, comment_id=self.kwargs["pk"]
        )

    def _answer(self, comment):
        comment = consultation_selectors.comment_get(
            person=self.request.user, comment_id=comment.pk
        )
        return Response(CommentSerializer(comment).data)

    @extend_schema(
        request=CommentEditSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Edit: a new revision (the author's organisation, until the close)",
    )
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        organisation = acting_for(request)
        serializer = CommentEditSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        comment = comments.edit_comment(
            actor=request.user,
            acting_for=organisation,
            comment=comment,
            **serializer.validated_data,
        )
        return self._answer(comment)

    @extend_schema(responses=CommentRevisionSerializer(many=True), summary="Every revision")
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request, pk=None):
        comment = self.get_object()
        revisions = consultation_selectors.revision_list(comment=comment)
        return Response(CommentRevisionSerializer(revisions, many=True).data)

    def _write(self, request, service):
        comment = self.get_object()
        organisation = acting_for(request)
        EmptyConsultationInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        service(actor=request.user, acting_for=organisation, comment=comment)
        return self._answer(comment)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Withdraw (the history is kept)",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._write(request, comments.withdraw_comment)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Restore a withdrawn comment (its organisation, until the close)",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._write(request, comment_stages.restore_comment)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Co-sign a network's comment (member providers of the network)",
    )
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        return self._write(request, comments.cosign_comment)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Withdraw a co-signature",
    )
    @action(detail=True, methods=["post"])
    def uncosign(self, request, pk=None):
        return self._write(request, comments.uncosign_comment)
