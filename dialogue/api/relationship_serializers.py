"""Serializers of the calendar feed, concerns, relationship health and equal treatment."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateField
from commissioning.api.fields import VisibleId
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Organisation, Programme
from dialogue.models import CalendarFeed, Concern, Meeting
from dialogue.services.concerns import CONCERN_LIFECYCLE


def inline_choices(choices, description: str) -> type[serializers.ChoiceField]:
    """A read-only choice field documented inline in the schema: "status" names the choice
    sets of several models, and enum components named after the field collide."""

    # Wrapped in allOf so that the schema's enum post-processing leaves it inline.
    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": [value for value, _label in choices]}],
            "description": description,
        }
    )
    class InlineChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return InlineChoiceField


ConcernStatusField = inline_choices(
    Concern.Status.choices, "raised, acknowledged, discussed, resolved or withdrawn."
)
MeetingStatusField = inline_choices(Meeting.Status.choices, "The meeting's status.")
SubjectField = inline_choices(
    [("programme", "programme"), ("arena", "arena")], "What is reported on."
)


class CalendarFeedSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("Subscribe to this address in a calendar; it needs no login, keep it private.")
    )

    class Meta:
        model = CalendarFeed
        fields = ["url", "created_at", "reset_at"]

    def get_url(self, feed) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/calendar/{feed.token}.ics")


class CalendarFeedResetSerializer(InputSerializer):
    """Nothing to send: posting resets the address."""


class MeetingBriefSerializer(serializers.ModelSerializer):
    status = MeetingStatusField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "starts_at", "status"]


class ProgrammeBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ConcernSerializer(serializers.ModelSerializer):
    purchaser = OrganisationBriefSerializer(read_only=True)
    raised_by = OrganisationBriefSerializer(read_only=True)
    raised_with = OrganisationBriefSerializer(read_only=True)
    programme = ProgrammeBriefSerializer(read_only=True, allow_null=True)
    discussed_at = MeetingBriefSerializer(read_only=True, allow_null=True)
    raised_by_person = serializers.CharField(
        source="raised_by_person.username", default=None, allow_null=True, read_only=True
    )
    status = ConcernStatusField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Concern
        fields = [
            "id",
            "title",
            "description",
            "status",
            "purchaser",
            "raised_by",
            "raised_with",
            "programme",
            "reply_by",
            "is_overdue",
            "acknowledged_at",
            "discussed_at",
            "resolution",
            "closed_at",
            "raised_by_person",
            "created_at",
            "allowed_transitions",
        ]

    def get_allowed_transitions(self, concern) -> list[str]:
        return CONCERN_LIFECYCLE.allowed_next(concern.status)


class ConcernInputSerializer(InputSerializer):
    raised_with = VisibleId(
        Organisation, help_text=_("Id of the organisation on the other side of the relationship.")
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    reply_by = DateField(help_text=_("Date by which the other side should answer."))
    programme = VisibleId(Programme, required=False, allow_null=True)


class ConcernDiscussedInputSerializer(InputSerializer):
    meeting = VisibleId(Meeting, help_text=_("Id of the held meeting where it was discussed."))


class ConcernResolveInputSerializer(InputSerializer):
    resolution = serializers.CharField(max_length=20000, allow_blank=True)


class EmptyInputSerializer(InputSerializer):
    """Nothing to send but the organisation acted for."""


class NamedOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProviderBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    ownership = serializers.CharField()


class RelationshipSerializer(serializers.Serializer):
    purchaser = NamedOrganisationSerializer(source="purchaser_brief")
    provider = ProviderBriefSerializer(source="provider_brief")
    last_meeting_on = DateField(allow_null=True)
    days_since_last_meeting = serializers.IntegerField(allow_null=True)
    open_concerns = serializers.IntegerField()
    overdue_concerns = serializers.IntegerField()
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    median_days_to_acknowledge = serializers.FloatField(allow_null=True)
    alert_after_days = serializers.IntegerField()
    no_meeting_alert = serializers.BooleanField()


class RelationshipPageSerializer(serializers.Serializer):
    """A page of relationships, as every paginated list answers."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RelationshipSerializer(many=True)


class FigureSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    organisations = NamedOrganisationSerializer(many=True)


class OwnershipGroupSerializer(serializers.Serializer):
    ownership = serializers.CharField()
    label = serializers.CharField()
    providers = serializers.IntegerField()
    not_invited = FigureSerializer()
    never_attended = FigureSerializer()


class UntrackedSerializer(serializers.Serializer):
    tracked = serializers.BooleanField()
    note = serializers.CharField()


class EqualTreatmentSerializer(serializers.Serializer):
    subject = SubjectField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    purchaser = NamedOrganisationSerializer()
    meetings_counted = serializers.IntegerField()
    providers = serializers.IntegerField()
    not_invited = FigureSerializer()
    never_attended = FigureSerializer()
    by_ownership = OwnershipGroupSerializer(many=True)
    not_invited_to_consultations = UntrackedSerializer()
