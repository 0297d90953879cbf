from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateField
from commissioning.api.fields import VisibleIds
from commissioning.api.representation import CompiledRepresentation
from commissioning.models import Event, Membership, Organisation, Programme


class OrganisationBriefSerializer(CompiledRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "ownership", "country"]


class OrganisationSerializer(serializers.ModelSerializer):
    oversees = OrganisationBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "ownership", "country", "official_id", "oversees"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role"]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    memberships = MembershipSerializer(many=True)


class ProgrammeSerializer(serializers.ModelSerializer):
    purchaser = OrganisationBriefSerializer(read_only=True)
    participants = OrganisationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "purchaser",
            "framework",
            "phase",
            "target_decision_date",
            "language",
            "time_zone",
            "participants",
            "created_at",
            "updated_at",
        ]


class ProgrammeInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    framework = serializers.ChoiceField(choices=Programme.Framework.choices, required=False)
    phase = serializers.ChoiceField(choices=Programme.Phase.choices, required=False)
    target_decision_date = DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=Programme.Language.choices)
    time_zone = serializers.CharField(required=False, max_length=64)
    participants = VisibleIds(
        Organisation,
        required=False,
        max_length=1000,
        help_text=_("Ids of the providers and provider networks taking part."),
    )


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )
    acting_for = OrganisationBriefSerializer(read_only=True, allow_null=True)
    subject_type = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "verb",
            "actor",
            "acting_for",
            "subject_type",
            "subject_id",
            "subject_repr",
            "before",
            "after",
            "created_at",
        ]

    def get_subject_type(self, event) -> str:
        return f"{event.subject_type.app_label}.{event.subject_type.model}"
