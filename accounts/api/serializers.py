"""The invitations and memberships of the API: what is read, and what a write takes. The
invitation's key never leaves the server but in the email."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Invitation
from commissioning.api.base import InputSerializer
from commissioning.api.fields import VisibleId
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Membership, Organisation, Programme


class PersonNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class MemberPersonSerializer(PersonNamedSerializer):
    email = serializers.EmailField()


class OrganisationInvitationSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    invited_for = OrganisationBriefSerializer(read_only=True, allow_null=True)
    invited_by = PersonNamedSerializer(read_only=True, allow_null=True)
    accepted_by = PersonNamedSerializer(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "organisation",
            "role",
            "is_admin",
            "language",
            "status",
            "invited_by",
            "invited_for",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]


class OrganisationInvitationInputSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)
    organisation = VisibleId(
        Organisation,
        help_text=_(
            "Id of the organisation the person is invited to: yours, a political body "
            "overseeing your purchaser, or a provider taking part in its programmes."
        ),
    )
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    is_admin = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("The organisation-admin right (provider representatives only)."),
    )
    language = serializers.ChoiceField(
        choices=[("", ""), *Programme.Language.choices],
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Language of the email; empty means the organisation's country's."),
    )


class OrganisationMembershipSerializer(serializers.ModelSerializer):
    person = MemberPersonSerializer(read_only=True)
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "organisation", "role", "is_admin", "created_at"]
