"""Thin views: read through selectors, write through one service, answer with a serializer.
Errors are mapped to the JSON shape by commissioning.api.errors, never here."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.api.filters import EventFilter, OrganisationFilter, ProgrammeFilter
from commissioning.api.serializers import (
    EventSerializer,
    OrganisationSerializer,
    PersonSerializer,
    ProgrammeInputSerializer,
    ProgrammeSerializer,
)
from commissioning.policies import Writers
from commissioning.selectors import organisations as organisation_selectors
from commissioning.selectors import programmes as selectors
from commissioning.services.programmes import create_programme, delete_programme, update_programme


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the person may see: their own, those they work with, and for purchaser
    staff every provider and network."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "id", "kind"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return organisation_selectors.organisation_list(person=self.request.user)


class MyMembershipsView(APIView):
    @extend_schema(responses=PersonSerializer, operation_id="memberships_me")
    def get(self, request):
        person = request.user
        data = PersonSerializer(
            {
                "id": person.id,
                "username": person.get_username(),
                "get_full_name": person.get_full_name(),
                "email": person.email,
                "memberships": organisation_selectors.memberships_of(person=person),
            }
        ).data
        return Response(data)


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Programmes: purchaser staff set them up and change them; participants and the
    purchaser's politicians read them."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    ordering_fields = ["name", "id", "target_decision_date", "created_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.programme_list(person=self.request.user)

    def get_object(self):
        return selectors.programme_get(person=self.request.user, programme_id=self.kwargs["pk"])

    def _answer(self, programme, status_code=status.HTTP_200_OK):
        programme = selectors.programme_get(person=self.request.user, programme_id=programme.pk)
        return Response(ProgrammeSerializer(programme).data, status=status_code)

    @extend_schema(
        request=ProgrammeInputSerializer,
        responses={201: ProgrammeSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = ProgrammeInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        programme = create_programme(
            actor=request.user, acting_for=organisation, **serializer.validated_data
        )
        return self._answer(programme, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgrammeInputSerializer,
        responses=ProgrammeSerializer,
        parameters=[acting_for_parameter],
    )
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(
        request=ProgrammeInputSerializer,
        responses=ProgrammeSerializer,
        parameters=[acting_for_parameter],
    )
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        programme = self.get_object()
        organisation = acting_for(request)
        serializer = ProgrammeInputSerializer(
            data=request.data, context={"request": request}, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        programme = update_programme(
            actor=request.user,
            acting_for=organisation,
            programme=programme,
            **serializer.validated_data,
        )
        return self._answer(programme)

    @extend_schema(parameters=[acting_for_parameter], responses={204: None})
    def destroy(self, request, pk=None):
        programme = self.get_object()
        delete_programme(actor=request.user, acting_for=acting_for(request), programme=programme)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail: a purchaser's staff read its events; everyone reads their own."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return organisation_selectors.event_list(person=self.request.user)
