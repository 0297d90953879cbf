"""Rulebooks, their versions and clauses. Thin views: read through contracts.selectors.rulebooks,
write through one function of contracts.services.rulebooks or contracts.services.clauses,
answer with a serializer."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissioning import policies
from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.models import Programme
from commissioning.policies import Writers
from contracts.api.rulebook_serializers import (
    ClauseInputSerializer,
    ClauseOrderSerializer,
    ClauseSerializer,
    RulebookInputSerializer,
    RulebookSerializer,
    RulebookUpdateSerializer,
    RulebookVersionDetailSerializer,
    RulebookVersionDiffSerializer,
    RulebookVersionInputSerializer,
    RulebookVersionSerializer,
    RulebookVersionUpdateSerializer,
    TransitionInputSerializer,
)
from contracts.models import Clause, RulebookVersion
from contracts.selectors import rulebooks as selectors
from contracts.services import clauses as clause_services
from contracts.services import rulebooks as services

against_parameter = OpenApiParameter(
    name="against",
    type=OpenApiTypes.INT,
    location=OpenApiParameter.QUERY,
    required=True,
    description=(
        "Id of the older version of the same rulebook to compare with; the diff shows what "
        "changed from that version to this one."
    ),
)


class RulebookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A programme's rulebook: read by everyone who sees the programme, written by the
    purchaser's staff."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = RulebookSerializer
    filterset_fields = ["programme"]
    ordering_fields = ["title", "id", "created_at"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.rulebook_list(person=self.request.user)

    def get_object(self):
        return selectors.rulebook_get(person=self.request.user, rulebook_id=self.kwargs["pk"])

    def _answer(self, rulebook, status_code=status.HTTP_200_OK):
        rulebook = selectors.rulebook_get(person=self.request.user, rulebook_id=rulebook.pk)
        return Response(RulebookSerializer(rulebook).data, status=status_code)

    @extend_schema(
        request=RulebookInputSerializer,
        responses={201: RulebookSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = RulebookInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        programme = policies.named_in_request(
            Programme, data["programme"], person=request.user, field="programme"
        )
        rulebook = services.create_rulebook(
            actor=request.user, acting_for=organisation, programme=programme, title=data["title"]
        )
        return self._answer(rulebook, status.HTTP_201_CREATED)

    @extend_schema(
        request=RulebookUpdateSerializer,
        responses=RulebookSerializer,
        parameters=[acting_for_parameter],
    )
    def partial_update(self, request, pk=None):
        rulebook = self.get_object()
        organisation = acting_for(request)
        serializer = RulebookUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        rulebook = services.update_rulebook(
            actor=request.user,
            acting_for=organisation,
            rulebook=rulebook,
            **serializer.validated_data,
        )
        return self._answer(rulebook)


class RulebookVersionListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """/rulebooks/{rulebook_pk}/versions/: the versions of one rulebook, and a new one."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = RulebookVersionSerializer
    ordering_fields = ["number"]
    ordering = ["number"]

    def _rulebook(self):
        return selectors.rulebook_get(
            person=self.request.user, rulebook_id=self.kwargs["rulebook_pk"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RulebookVersion.objects.none()
        return selectors.version_list(person=self.request.user, rulebook=self._rulebook())

    @extend_schema(
        request=RulebookVersionInputSerializer,
        responses={201: RulebookVersionDetailSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request, rulebook_pk=None):
        rulebook = self._rulebook()
        organisation = acting_for(request)
        serializer = RulebookVersionInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        version = services.create_rulebook_version(
            actor=request.user,
            acting_for=organisation,
            rulebook=rulebook,
            **serializer.validated_data,
        )
        version = selectors.version_get(person=request.user, version_id=version.pk)
        return Response(
            RulebookVersionDetailSerializer(version).data, status=status.HTTP_201_CREATED
        )


class RulebookVersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One rulebook version with its clauses; its status moves and its diff."""

    writers = Writers.PURCHASER_STAFF

    queryset = RulebookVersion.objects.none()  # for the schema; reads go through selectors
    serializer_class = RulebookVersionDetailSerializer

    def get_object(self):
        return selectors.version_get(person=self.request.user, version_id=self.kwargs["pk"])

    def _answer(self, version):
        version = selectors.version_get(person=self.request.user, version_id=version.pk)
        return Response(RulebookVersionDetailSerializer(version).data)

    @extend_schema(
        request=RulebookVersionUpdateSerializer,
        responses=RulebookVersionDetailSerializer,
        parameters=[acting_for_parameter],
    )
    def partial_update(self, request, pk=None):
        version = self.get_object()
        organisation = acting_for(request)
        serializer = RulebookVersionUpdateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        version = services.update_rulebook_version(
            actor=request.user,
            acting_for=organisation,
            version=version,
            **serializer.validated_data,
        )
        return self._answer(version)

    def _transition(self, request, service):
        version = self.get_object()
        organisation = acting_for(request)
        TransitionInputSerializer(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        version = service(actor=request.user, acting_for=organisation, version=version)
        return self._answer(version)

    # No open-consultation / close-consultation endpoints: a version moves into and out of
    # consultation only with its consultation's window (dialogue.services.consultations), so
    # that nobody can open a version to comments without a window, or close one early.

    @extend_schema(
        request=TransitionInputSerializer,
        responses=RulebookVersionDetailSerializer,
        parameters=[acting_for_parameter],
        summary="Consultation closed -> adopted (managers; refused while a gate is open)",
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        return self._transition(request, services.adopt_rulebook_version)

    @extend_schema(
        request=ClauseOrderSerializer,
        responses=RulebookVersionDetailSerializer,
        parameters=[acting_for_parameter],
        summary="Put the clauses of a draft in a new order",
    )
    @action(detail=True, methods=["post"], url_path="clauses/reorder")
    def reorder_clauses(self, request, pk=None):
        version = self.get_object()
        organisation = acting_for(request)
        serializer = ClauseOrderSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        version = clause_services.reorder_clauses(
            actor=request.user,
            acting_for=organisation,
            version=version,
            clause_ids=serializer.validated_data["clauses"],
        )
        return self._answer(version)

    @extend_schema(
        parameters=[against_parameter],
        responses=RulebookVersionDiffSerializer,
        summary="What changed, clause by clause, from the `against` version to this one",
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        version = self.get_object()
        old = selectors.version_for_diff(
            version=version, against_id=request.query_params.get("against")
        )
        return Response(selectors.version_diff(old=old, new=version))


class ClauseListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """/rulebook-versions/{version_pk}/clauses/: the clauses of a version, and a new one."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = ClauseSerializer
    ordering_fields = ["position", "key"]
    ordering = ["position", "key", "id"]

    def _version(self):
        return selectors.version_get(person=self.request.user, version_id=self.kwargs["version_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Clause.objects.none()
        return selectors.clause_list(person=self.request.user, version=self._version())

    @extend_schema(
        request=ClauseInputSerializer,
        responses={201: ClauseSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request, version_pk=None):
        version = self._version()
        organisation = acting_for(request)
        serializer = ClauseInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        clause = clause_services.create_clause(
            actor=request.user,
            acting_for=organisation,
            version=version,
            **serializer.validated_data,
        )
        clause = selectors.clause_get(person=request.user, clause_id=clause.pk)
        return Response(ClauseSerializer(clause).data, status=status.HTTP_201_CREATED)


class ClauseViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One clause: edited and deleted only while its version is a draft."""

    writers = Writers.PURCHASER_STAFF

    queryset = Clause.objects.none()  # for the schema; reads go through selectors
    serializer_class = ClauseSerializer

    def get_object(self):
        return selectors.clause_get(person=self.request.user, clause_id=self.kwargs["pk"])

    @extend_schema(
        request=ClauseInputSerializer,
        responses=ClauseSerializer,
        parameters=[acting_for_parameter],
    )
    def partial_update(self, request, pk=None):
        clause = self.get_object()
        organisation = acting_for(request)
        serializer = ClauseInputSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        clause = clause_services.update_clause(
            actor=request.user,
            acting_for=organisation,
            clause=clause,
            **serializer.validated_data,
        )
        clause = selectors.clause_get(person=request.user, clause_id=clause.pk)
        return Response(ClauseSerializer(clause).data)

    @extend_schema(parameters=[acting_for_parameter], responses={204: None})
    def destroy(self, request, pk=None):
        clause = self.get_object()
        clause_services.delete_clause(
            actor=request.user, acting_for=acting_for(request), clause=clause
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
