"""Invitations and memberships over the API: thin views over accounts.selectors and
accounts.services (README "How people join"). Purchaser staff and provider representatives
write (politicians are refused before the body is read); who may invite whom, and end which
membership, is commissioning.grants'."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.filters import InvitationFilter, MembershipFilter
from accounts.api.serializers import (
    OrganisationInvitationInputSerializer,
    OrganisationInvitationSerializer,
    OrganisationMembershipSerializer,
)
from accounts.selectors import invitations as invitation_selectors
from accounts.selectors import memberships as membership_selectors
from accounts.services import invitations, memberships
from commissioning import policies
from commissioning.api.base import InputSerializer, acting_for, acting_for_parameter
from commissioning.models import Organisation
from commissioning.policies import Writers


class ActingForOnly(InputSerializer):
    """Nothing to send but, perhaps, the organisation acted for."""


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations by email to a role in an organisation: the ones you may resend or revoke
    (to the organisations whose people you look after, and, for a purchaser's staff, those
    its staff sent to providers' first representatives)."""

    writers = Writers.PURCHASER_STAFF_OR_PROVIDERS

    serializer_class = OrganisationInvitationSerializer
    filterset_class = InvitationFilter
    ordering_fields = ["created_at", "expires_at", "email", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return invitation_selectors.invitation_list(person=self.request.user)

    def get_object(self):
        return invitation_selectors.invitation_get(
            person=self.request.user, invitation_id=self.kwargs["pk"]
        )

    def _answer(self, invitation, status_code=status.HTTP_200_OK):
        invitation = invitation_selectors.invitation_get(
            person=self.request.user, invitation_id=invitation.pk
        )
        return Response(OrganisationInvitationSerializer(invitation).data, status=status_code)

    @extend_schema(
        request=OrganisationInvitationInputSerializer,
        responses={201: OrganisationInvitationSerializer},
        parameters=[acting_for_parameter],
    )
    def create(self, request):
        organisation = acting_for(request)
        serializer = OrganisationInvitationInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["organisation"] = policies.named_in_request(
            Organisation, data["organisation"], person=request.user, field="organisation"
        )
        invitation = invitations.invite(actor=request.user, acting_for=organisation, **data)
        return self._answer(invitation, status.HTTP_201_CREATED)

    def _act_on(self, request, service):
        """Send again or revoke: the invitation as the caller may see it, the organisation
        they act for, a body with nothing else, then the service."""
        invitation = self.get_object()
        organisation = acting_for(request)
        ActingForOnly(data=request.data, context={"request": request}).is_valid(
            raise_exception=True
        )
        invitation = service(actor=request.user, acting_for=organisation, invitation=invitation)
        return self._answer(invitation)

    @extend_schema(
        request=ActingForOnly,
        responses=OrganisationInvitationSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """The invitation again, by a new email with a new link (the old one stops working),
        valid for INVITATION_DAYS from now."""
        return self._act_on(request, invitations.resend_invitation)

    @extend_schema(
        request=ActingForOnly,
        responses=OrganisationInvitationSerializer,
        parameters=[acting_for_parameter],
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The link stops working; the invitation stays in the history."""
        return self._act_on(request, invitations.revoke_invitation)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The memberships of the organisations whose people you look after: a manager those of
    the purchaser and its political bodies, an organisation admin those of the provider or
    network. Ending one (DELETE) takes the person's access to that organisation at once;
    their history and authorship stay."""

    writers = Writers.PURCHASER_STAFF_OR_PROVIDERS
    lookup_value_regex = r"\d+"

    serializer_class = OrganisationMembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["created_at", "id", "role"]
    ordering = ["organisation__name", "person__last_name", "person__first_name", "id"]

    def get_queryset(self):
        return membership_selectors.administered_memberships(person=self.request.user)

    def get_object(self):
        return membership_selectors.membership_get(
            person=self.request.user, membership_id=self.kwargs["pk"]
        )

    @extend_schema(parameters=[acting_for_parameter], responses={204: None})
    def destroy(self, request, pk=None):
        membership = self.get_object()
        memberships.end_membership(
            actor=request.user, acting_for=acting_for(request), membership=membership
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
