"""Thin views for contracts and obligations, and a programme's OCDS export: read through
contracts.selectors, write through one service of contracts.services, answer with a
serializer. Errors are mapped to the JSON shape by commissioning.api.errors, never here."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning import policies
from commissioning.api.base import acting_for, acting_for_parameter
from commissioning.api.fields import MAX_INTEGER
from commissioning.models import Organisation, Programme
from commissioning.policies import Writers
from commissioning.selectors import programmes as commissioning_selectors
from contracts.api.filters import ContractFilter, ObligationFilter
from contracts.api.serializers import (
    ContractCreateInputSerializer,
    ContractPartySerializer,
    ContractSerializer,
    ContractVersionSerializer,
    DiffQuerySerializer,
    EmptyInputSerializer,
    FulfilmentInputSerializer,
    ObligationFulfilmentSerializer,
    ObligationInputSerializer,
    ObligationSerializer,
    PartyInputSerializer,
    TerminateInputSerializer,
    TermsChangeInputSerializer,
    VersionCreateInputSerializer,
    VersionDiffSerializer,
)
from contracts.models import Contract
from contracts.selectors import contracts as selectors
from contracts.selectors import ocds
from contracts.services import contracts as contract_services
from contracts.services import obligations as obligation_services
from contracts.services import terms as term_services

number_parameter = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="The version's number."
)
party_parameter = OpenApiParameter(
    "party_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The party's id."
)
diff_parameters = [
    OpenApiParameter(
        name,
        # The bounds DiffQuerySerializer checks: version numbers start at 1.
        {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
        required=True,
        description="Version number.",
    )
    for name in ("from", "to")
]


def _transition(name: str, service, summary: str, request_serializer=None):
    """One POST endpoint per transition of the status machine. The schema documents the body
    the move takes, or none (action() first: extend_schema must see the action's kwargs)."""

    def view(self, request, pk=None):
        contract = self.get_object()
        organisation = acting_for(request)
        # Even a move without a body refuses unknown fields: a misspelt "reason" is an error.
        serializer = (request_serializer or EmptyInputSerializer)(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        contract = service(
            actor=request.user,
            acting_for=organisation,
            contract=contract,
            **serializer.validated_data,
        )
        return self._answer(contract)

    view.__name__ = view.__qualname__ = name
    routed = action(
        detail=True, methods=["post"], url_path=name.replace("_", "-"), filter_backends=[]
    )(view)
    return extend_schema(
        request=request_serializer,
        responses={200: ContractSerializer},
        parameters=[acting_for_parameter],
        summary=summary,
    )(routed)


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contracts: purchaser staff draft and change them, managers finalise, sign and
    terminate; the parties and the purchaser's politicians read them."""

    writers = Writers.PURCHASER_STAFF

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["id", "status", "created_at", "status_changed_at", "signed_at"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.contract_list(person=self.request.user)

    def get_object(self):
        return selectors.contract_get(person=self.request.user, contract_id=self.kwargs["pk"])

    def _answer(self, contract, status_code=status.HTTP_200_OK):
        contract = selectors.contract_get(person=self.request.user, contract_id=contract.pk)
        return Response(ContractSerializer(contract).data, status=status_code)

    @extend_schema(
        request=ContractCreateInputSerializer,
        responses={201: ContractSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = ContractCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        programme_id = data.pop("programme")
        programme = policies.named_in_request(
            Programme, programme_id, person=request.user, field="programme"
        )
        data["parties"] = [dict(p) for p in data.get("parties", [])]
        contract = contract_services.create_contract(
            actor=request.user, acting_for=organisation, programme=programme, **data
        )
        return self._answer(contract, status.HTTP_201_CREATED)

    @extend_schema(
        request=TermsChangeInputSerializer,
        responses={200: ContractSerializer},
        parameters=[acting_for_parameter],
        summary="Change the current terms (in place before signing; an amendment after)",
    )
    def partial_update(self, request, pk=None):
        contract = self.get_object()
        organisation = acting_for(request)
        serializer = TermsChangeInputSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        term_services.change_terms(
            actor=request.user,
            acting_for=organisation,
            contract=contract,
            **serializer.validated_data,
        )
        return self._answer(contract)

    # --- versions ------------------------------------------------------------------------

    @extend_schema(responses=ContractVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def versions(self, request, pk=None):
        queryset = selectors.version_list(person=request.user, contract_id=pk)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ContractVersionSerializer(page, many=True).data)

    @extend_schema(
        request=VersionCreateInputSerializer,
        responses={201: ContractVersionSerializer},
        parameters=[acting_for_parameter],
        summary="Make a new version (after signing: an amendment)",
    )
    @versions.mapping.post
    def create_version(self, request, pk=None):
        contract = self.get_object()
        organisation = acting_for(request)
        serializer = VersionCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        version = term_services.create_version(
            actor=request.user,
            acting_for=organisation,
            contract=contract,
            **serializer.validated_data,
        )
        return Response(ContractVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ContractVersionSerializer, parameters=[number_parameter])
    @action(
        detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)", filter_backends=[]
    )
    def version(self, request, pk=None, number=None):
        version = selectors.version_get(person=request.user, contract_id=pk, number=number)
        return Response(ContractVersionSerializer(version).data)

    @extend_schema(
        request=TermsChangeInputSerializer,
        responses=ContractVersionSerializer,
        parameters=[number_parameter, acting_for_parameter],
        summary="Edit an unsigned version in place (signed versions are refused)",
    )
    @version.mapping.patch
    def edit_version(self, request, pk=None, number=None):
        version = selectors.version_get(person=request.user, contract_id=pk, number=number)
        organisation = acting_for(request)
        serializer = TermsChangeInputSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        version = term_services.edit_version(
            actor=request.user,
            acting_for=organisation,
            version=version,
            **serializer.validated_data,
        )
        return Response(ContractVersionSerializer(version).data)

    @extend_schema(responses=VersionDiffSerializer, parameters=diff_parameters)
    @action(detail=True, methods=["get"], url_path="versions/diff", filter_backends=[])
    def diff(self, request, pk=None):
        query = DiffQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        diff = selectors.version_diff(
            person=request.user,
            contract_id=pk,
            first=query.validated_data["from"],
            second=query.validated_data["to"],
        )
        return Response(VersionDiffSerializer(diff).data)

    # --- parties -------------------------------------------------------------------------

    @extend_schema(
        request=PartyInputSerializer,
        responses={201: ContractPartySerializer},
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def parties(self, request, pk=None):
        contract = self.get_object()
        organisation = acting_for(request)
        serializer = PartyInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        party = term_services.add_party(
            actor=request.user,
            acting_for=organisation,
            contract=contract,
            organisation=policies.named_in_request(
                Organisation,
                serializer.validated_data["organisation"],
                person=request.user,
                field="organisation",
            ),
            role=serializer.validated_data["role"],
        )
        return Response(ContractPartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[party_parameter, acting_for_parameter],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"parties/(?P<party_id>[0-9]+)",
        filter_backends=[],
    )
    def party(self, request, pk=None, party_id=None):
        party = selectors.party_get(person=request.user, contract_id=pk, party_id=party_id)
        term_services.remove_party(actor=request.user, acting_for=acting_for(request), party=party)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- the status machine --------------------------------------------------------------

    start_dialogue = _transition(
        "start_dialogue", contract_services.start_dialogue, "Draft → in dialogue"
    )
    start_negotiation = _transition(
        "start_negotiation", contract_services.start_negotiation, "In dialogue → negotiation"
    )
    finalise = _transition(
        "finalise",
        contract_services.finalise_contract,
        "Negotiation → finalised (managers; refused while a gating milestone is open)",
    )
    reopen_negotiation = _transition(
        "reopen_negotiation",
        contract_services.reopen_negotiation,
        "Finalised → negotiation (managers)",
    )
    sign = _transition(
        "sign",
        contract_services.sign_contract,
        "Finalised → signed (managers); seals every version",
    )
    activate = _transition("activate", contract_services.activate_contract, "Signed → active")
    end = _transition("end", contract_services.end_contract, "Active → ended")
    terminate = _transition(
        "terminate",
        contract_services.terminate_contract,
        "Signed or active → terminated (managers; with a reason)",
        TerminateInputSerializer,
    )


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Duties under contracts, with their next due dates and what was fulfilled."""

    writers = {None: Writers.PURCHASER_STAFF, "fulfilments": Writers.PURCHASER_STAFF_OR_PROVIDERS}

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter
    ordering_fields = ["id", "first_due", "created_at"]
    ordering = ["first_due", "id"]

    def get_queryset(self):
        return selectors.obligation_list(person=self.request.user)

    def get_object(self):
        return selectors.obligation_get(person=self.request.user, obligation_id=self.kwargs["pk"])

    @extend_schema(
        request=ObligationInputSerializer,
        responses={201: ObligationSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = ObligationInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["contract"] = policies.named_in_request(
            Contract, data["contract"], person=request.user, field="contract"
        )
        data["owed_by"] = policies.named_in_request(
            Organisation, data["owed_by"], person=request.user, field="owed_by"
        )
        obligation = obligation_services.create_obligation(
            actor=request.user, acting_for=organisation, **data
        )
        obligation = selectors.obligation_get(person=request.user, obligation_id=obligation.pk)
        return Response(ObligationSerializer(obligation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FulfilmentInputSerializer,
        responses={201: ObligationFulfilmentSerializer},
        parameters=[acting_for_parameter],
        summary="Record that one occurrence of the obligation was fulfilled",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def fulfilments(self, request, pk=None):
        obligation = self.get_object()
        organisation = acting_for(request)
        serializer = FulfilmentInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fulfilment = obligation_services.record_fulfilment(
            actor=request.user,
            acting_for=organisation,
            obligation=obligation,
            **serializer.validated_data,
        )
        return Response(
            ObligationFulfilmentSerializer(fulfilment).data, status=status.HTTP_201_CREATED
        )


class ProgrammeOcdsView(APIView):
    """The programme as an OCDS 1.1 release package, with what the person can see."""

    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
        operation_id="programmes_ocds",
    )
    def get(self, request, pk):
        programme = commissioning_selectors.programme_get(person=request.user, programme_id=pk)
        package = ocds.release_package(
            person=request.user, programme=programme, uri=request.build_absolute_uri()
        )
        return Response(package)
