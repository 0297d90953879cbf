"""Milestones and their templates. Thin views: read through commissioning.selectors.milestones,
write through commissioning.services.milestones."""

import mimetypes
import posixpath

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.base import FileView, acting_for, acting_for_parameter, file_answer
from commissioning.api.filters import MilestoneFilter
from commissioning.api.milestone_serializers import (
    ApplyTemplateInputSerializer,
    EvidenceInputSerializer,
    MetInputSerializer,
    MilestoneEvidenceSerializer,
    MilestoneInputSerializer,
    MilestoneSerializer,
    MilestoneTemplateSerializer,
    MilestoneUpdateSerializer,
    WaiveInputSerializer,
)
from commissioning.models import Milestone
from commissioning.policies import Writers
from commissioning.selectors import milestones as milestone_selectors
from commissioning.selectors import programmes as selectors
from commissioning.services import milestones
from commissioning.services.evidence import add_evidence
from commissioning.storage import stored_file_response


def _contract_of(person, contract_id):
    """A contract named in a request body, or none. (The contracts app sits above this one,
    so its model is reached through the milestone's foreign key, not imported.)"""
    if contract_id is None:
        return None
    contract_model = Milestone._meta.get_field("contract").related_model
    return policies.named_in_request(contract_model, contract_id, person=person, field="contract")


class MilestoneTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """The milestone plan of each framework; administrators edit them in the admin."""

    serializer_class = MilestoneTemplateSerializer
    pagination_class = None
    filterset_fields = ["framework"]
    ordering_fields = ["framework", "id"]
    ordering = ["framework"]

    def get_queryset(self):
        return milestone_selectors.template_list()


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Early-dialogue milestones of programmes and contracts."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["position", "id", "due_date", "created_at"]
    ordering = ["programme", "position", "id"]

    def get_queryset(self):
        return milestone_selectors.milestone_list(person=self.request.user)

    def get_object(self):
        return milestone_selectors.milestone_get(
            person=self.request.user, milestone_id=self.kwargs["pk"]
        )

    def _answer(self, milestone, status_code=status.HTTP_200_OK):
        milestone = milestone_selectors.milestone_get(
            person=self.request.user, milestone_id=milestone.pk
        )
        return Response(MilestoneSerializer(milestone).data, status=status_code)

    @extend_schema(
        request=MilestoneInputSerializer,
        responses={201: MilestoneSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = MilestoneInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        programme = selectors.programme_get(person=request.user, programme_id=data.pop("programme"))
        contract = _contract_of(request.user, data.pop("contract", None))
        milestone = milestones.create_milestone(
            actor=request.user,
            acting_for=organisation,
            programme=programme,
            contract=contract,
            **data,
        )
        return self._answer(milestone, status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneUpdateSerializer,
        responses=MilestoneSerializer,
        parameters=[acting_for_parameter],
    )
    def partial_update(self, request, pk=None):
        milestone = self.get_object()
        organisation = acting_for(request)
        serializer = MilestoneUpdateSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        milestone = milestones.update_milestone(
            actor=request.user,
            acting_for=organisation,
            milestone=milestone,
            **serializer.validated_data,
        )
        return self._answer(milestone)

    @extend_schema(
        request=WaiveInputSerializer,
        responses=MilestoneSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        milestone = self.get_object()
        organisation = acting_for(request)
        serializer = WaiveInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        milestone = milestones.waive(
            actor=request.user,
            acting_for=organisation,
            milestone=milestone,
            reason=serializer.validated_data["reason"],
        )
        return self._answer(milestone)

    @extend_schema(
        request=MetInputSerializer,
        responses=MilestoneSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        milestone = self.get_object()
        organisation = acting_for(request)
        serializer = MetInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        milestone = milestones.mark_met(
            actor=request.user,
            acting_for=organisation,
            milestone=milestone,
            met_on=serializer.validated_data.get("met_on"),
        )
        return self._answer(milestone)

    @extend_schema(
        request=EvidenceInputSerializer,
        responses={201: MilestoneEvidenceSerializer},
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        milestone = self.get_object()
        organisation = acting_for(request)
        serializer = EvidenceInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        evidence = add_evidence(
            actor=request.user,
            acting_for=organisation,
            milestone=milestone,
            **serializer.validated_data,
        )
        return Response(MilestoneEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class ApplyTemplateView(APIView):
    """Create the milestones of the programme's framework template."""

    writers = Writers.PURCHASER_STAFF

    @extend_schema(
        request=ApplyTemplateInputSerializer,
        responses={201: MilestoneSerializer(many=True)},
        parameters=[acting_for_parameter],
        operation_id="programmes_apply_template",
    )
    def post(self, request, pk):
        programme = selectors.programme_get(person=request.user, programme_id=pk)
        organisation = acting_for(request)
        serializer = ApplyTemplateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        contract = _contract_of(request.user, serializer.validated_data.get("contract"))
        created = milestones.apply_template(
            actor=request.user, acting_for=organisation, programme=programme, contract=contract
        )
        listed = (
            milestone_selectors.milestone_list(person=request.user)
            .filter(pk__in=[m.pk for m in created])
            .order_by("position", "id")
        )
        return Response(MilestoneSerializer(listed, many=True).data, status=status.HTTP_201_CREATED)


class EvidenceDocumentView(FileView):
    """GET /milestones/{id}/evidence/{evidence_id}/download/: an uploaded evidence document,
    streamed from the media storage, for whoever sees the milestone."""

    # Refusals are JSON as at every file address; the document is sent with its own type
    # (from its name), so the schema documents any.
    media_type = "application/octet-stream"

    @extend_schema(responses=file_answer("*/*", "The document, labelled with its own type."))
    def get(self, request, pk, evidence_pk):
        evidence = milestone_selectors.evidence_document_get(
            person=request.user, milestone_id=pk, evidence_id=evidence_pk
        )
        filename = posixpath.basename(evidence.document.name)
        return stored_file_response(
            evidence.document,
            filename=filename,
            content_type=mimetypes.guess_type(filename)[0] or self.media_type,
        )
