"""A network's draft joint comments: drafted, circulated to the members, co-signed by them
and submitted by the network (dialogue.services.comment_stages). A draft is read only by the
network and, once circulated, its members (dialogue.selectors.comment_drafts); for anyone
else it does not exist. Once submitted it is a comment, read at /comments/{id}/."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.policies import Writers
from dialogue.api.consultation_serializers import (
    CommentEditSerializer,
    CommentInputSerializer,
    CommentSerializer,
    EmptyConsultationInputSerializer,
)
from dialogue.api.consultation_views import comment_input
from dialogue.models import Comment
from dialogue.selectors import comment_drafts
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import comment_stages, comments


def _as_read(person, comment) -> Comment:
    """The comment as its reader now finds it: a draft, or the comment it became."""
    if comment.status == Comment.Status.DRAFT:
        found = comment_drafts.draft_get(person=person, draft_id=comment.pk)
    else:
        found = consultation_selectors.comment_get(person=person, comment_id=comment.pk)
    found.answered = getattr(found, "answered", None)
    return found


class ConsultationDraftViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The drafts of joint comments the person reads in one consultation; POST drafts one for
    the network in X-Acting-For."""

    writers = Writers.PROVIDERS
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for the schema; get_queryset decides

    def _consultation(self):
        return consultation_selectors.consultation_get(
            person=self.request.user, consultation_id=self.kwargs["consultation_pk"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return comment_drafts.draft_list(
            person=self.request.user, consultation=self._consultation()
        )

    def list(self, request, *args, **kwargs):
        drafts = list(self.paginate_queryset(self.get_queryset()))
        for draft in drafts:
            draft.answered = None
        return self.get_paginated_response(CommentSerializer(drafts, many=True).data)

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: CommentSerializer},
        parameters=[acting_for_parameter],
        summary="Draft a joint comment (a provider network)",
    )
    def create(self, request, consultation_pk=None):
        consultation = self._consultation()
        organisation = acting_for(request)
        data = comment_input(request)
        draft = comment_stages.draft_comment(
            actor=request.user, acting_for=organisation, consultation=consultation, **data
        )
        draft = _as_read(request.user, draft)
        return Response(CommentSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One draft joint comment: edited and circulated by its network, co-signed by the
    members it was circulated to, submitted by the network within the window."""

    writers = Writers.PROVIDERS
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for the schema; get_object decides

    def get_object(self):
        return comment_drafts.draft_get(person=self.request.user, draft_id=self.kwargs["pk"])

    def retrieve(self, request, pk=None):
        return Response(CommentSerializer(_as_read(request.user, self.get_object())).data)

    @extend_schema(
        request=CommentEditSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Edit the draft: a new revision (its network)",
    )
    def partial_update(self, request, pk=None):
        draft = self.get_object()
        serializer = CommentEditSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        comments.edit_comment(
            actor=request.user,
            acting_for=acting_for(request),
            comment=draft,
            **serializer.validated_data,
        )
        return Response(CommentSerializer(_as_read(request.user, draft)).data)

    def _write(self, request, service):
        draft = self.get_object()
        organisation = acting_for(request)
        EmptyConsultationInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        service(actor=request.user, acting_for=organisation, comment=draft)
        draft.refresh_from_db(fields=["status"])
        return Response(CommentSerializer(_as_read(request.user, draft)).data)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Circulate the draft to the network's members, who are asked to co-sign it",
    )
    @action(detail=True, methods=["post"])
    def circulate(self, request, pk=None):
        return self._write(request, comment_stages.circulate_draft)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Submit the draft: it becomes a comment of the consultation (within the window)",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._write(request, comment_stages.submit_draft)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Co-sign a circulated draft (member providers of the network)",
    )
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        return self._write(request, comments.cosign_comment)

    @extend_schema(
        request=EmptyConsultationInputSerializer,
        responses=CommentSerializer,
        parameters=[acting_for_parameter],
        summary="Withdraw a co-signature of a draft",
    )
    @action(detail=True, methods=["post"])
    def uncosign(self, request, pk=None):
        return self._write(request, comments.uncosign_comment)
