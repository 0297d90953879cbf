from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateField, DateTimeField
from commissioning.api.fields import VisibleId, VisibleIds
from commissioning.api.representation import CompiledRepresentation
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Organisation, Programme
from dialogue.markdown import render_markdown
from dialogue.models import (
    ActionItem,
    AgendaItem,
    Arena,
    AttendanceEntry,
    AttendanceRevision,
    Invitation,
    Meeting,
    MinutesRevision,
)
from dialogue.selectors import dialogue_share
from dialogue.services.meeting_checks import MEETING_LIFECYCLE

LONG_TEXT = 100_000
Person = get_user_model()


class NamedEnumField(serializers.ChoiceField):
    """A choice field whose enum is one named schema component (MeetingStatusEnum, ...):
    "kind" and "status" name the choice sets of several models, and the schema generator
    cannot tell such sets apart by field name alone."""

    enum_name = ""

    def __init__(self, **kwargs):
        super().__init__(choices=self.choices_class.choices, **kwargs)


def _named_enum(name: str, choices) -> type[NamedEnumField]:
    return type(f"{name}Field", (NamedEnumField,), {"enum_name": name, "choices_class": choices})


class NamedEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedEnumField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={"type": "string", "enum": list(field.choices_class.values)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


ArenaKindField = _named_enum("ArenaKindEnum", Arena.Kind)
MeetingStatusField = _named_enum("MeetingStatusEnum", Meeting.Status)
AgendaKindField = _named_enum("AgendaItemKindEnum", AgendaItem.Kind)
ActionStatusField = _named_enum("ActionItemStatusEnum", ActionItem.Status)
AttendanceStatusField = _named_enum("AttendanceStatusEnum", AttendanceEntry.Status)


class AwareDateTimeField(DateTimeField):
    """A date and time that must carry its UTC offset. DRF would read a naive time in the
    server's zone; for a meeting sent to invitees in other zones that silent guess is wrong."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:  # no such day or time: the parent field says so
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(
                    _("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+01:00.")
                )
        return super().to_internal_value(value)


class PersonBriefSerializer(CompiledRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")

    class Meta:
        reads = ["first_name", "last_name"]  # get_full_name's (api/columns.py)


class NamedSerializer(CompiledRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- arenas -------------------------------------------------------------------------------


class ArenaSerializer(serializers.ModelSerializer):
    purchaser = OrganisationBriefSerializer(read_only=True)
    members = OrganisationBriefSerializer(many=True, read_only=True)
    kind = ArenaKindField(read_only=True)

    class Meta:
        model = Arena
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "purchaser",
            "members",
            "cadence_weeks",
            "created_at",
        ]


class ArenaInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = ArenaKindField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    cadence_weeks = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=104
    )
    members = VisibleIds(
        Organisation,
        required=False,
        max_length=1000,
        help_text=_("Ids of the member organisations."),
    )


class QuarterShareSerializer(serializers.Serializer):
    quarter = serializers.CharField(source="label")
    starts_on = DateField()
    ends_on = DateField()
    meetings = serializers.IntegerField()
    information_heavy_meetings = serializers.IntegerField()
    dialogue_minutes = serializers.IntegerField()
    total_minutes = serializers.IntegerField()
    dialogue_share = serializers.FloatField(source="share", allow_null=True)


class ArenaDialogueShareSerializer(serializers.Serializer):
    arena = serializers.IntegerField()
    weighting = serializers.CharField(
        help_text=_("minutes: a quarter's dialogue minutes ÷ its minutes over held meetings")
    )
    information_heavy_below = serializers.FloatField()
    quarters = QuarterShareSerializer(many=True)


# --- meetings -----------------------------------------------------------------------------


class InvitationSerializer(CompiledRepresentation, serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    person = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["organisation", "person"]


class MeetingSerializer(CompiledRepresentation, serializers.ModelSerializer):
    purchaser = OrganisationBriefSerializer(read_only=True)
    arena = NamedSerializer(read_only=True, allow_null=True)
    programme = NamedSerializer(read_only=True, allow_null=True)
    status = MeetingStatusField(read_only=True)
    invitations = InvitationSerializer(many=True, read_only=True)
    dialogue_minutes = serializers.IntegerField(read_only=True)
    total_minutes = serializers.IntegerField(read_only=True)
    dialogue_share = serializers.SerializerMethodField()
    information_heavy = serializers.SerializerMethodField()
    allowed_next_statuses = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "purchaser",
            "arena",
            "programme",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "video_link",
            "status",
            "allowed_next_statuses",
            "cancellation_reason",
            "uid",
            "sequence",
            "invitations",
            "dialogue_minutes",
            "total_minutes",
            "dialogue_share",
            "information_heavy",
            "minutes_approved_at",
            "created_at",
            "updated_at",
        ]
        # What the methods read beyond the fields (api/columns.py): the annotated minutes.
        reads = []

    @extend_schema_field(
        {
            "type": "number",
            "nullable": True,
            "description": "Dialogue minutes ÷ all minutes; null without agenda items.",
        }
    )
    def get_dialogue_share(self, meeting) -> float | None:
        return dialogue_share.dialogue_share(meeting.dialogue_minutes, meeting.total_minutes)

    def get_information_heavy(self, meeting) -> bool:
        return dialogue_share.is_information_heavy(meeting.dialogue_minutes, meeting.total_minutes)

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_allowed_next_statuses(self, meeting) -> list[str]:
        return MEETING_LIFECYCLE.allowed_next(meeting.status)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    created_at = DateTimeField()


class AgendaItemSerializer(serializers.ModelSerializer):
    kind = AgendaKindField(read_only=True)
    presenter = OrganisationBriefSerializer(read_only=True, allow_null=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "kind",
            "planned_minutes",
            "actual_minutes",
            "presenter",
            "decisions",
        ]


class ActionItemSerializer(serializers.ModelSerializer):
    status = ActionStatusField(read_only=True)
    owner_organisation = OrganisationBriefSerializer(read_only=True)
    owner_person = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "title",
            "owner_organisation",
            "owner_person",
            "due_date",
            "status",
            "dropped_reason",
            "closed_at",
            "created_at",
        ]


class MinutesRevisionSerializer(serializers.ModelSerializer):
    written_by = serializers.CharField(source="written_by.username", default=None, allow_null=True)
    html = serializers.SerializerMethodField(help_text=_("The text as sanitised HTML."))

    class Meta:
        model = MinutesRevision
        fields = ["number", "text", "html", "reason", "written_by", "created_at"]

    def get_html(self, revision) -> str:
        return render_markdown(revision.text)


class AttendanceEntrySerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    person = PersonBriefSerializer(read_only=True, allow_null=True)
    status = AttendanceStatusField(read_only=True)

    class Meta:
        model = AttendanceEntry
        fields = ["organisation", "person", "status"]


class AttendanceRevisionSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(
        source="recorded_by.username", default=None, allow_null=True
    )
    entries = AttendanceEntrySerializer(many=True, read_only=True)

    class Meta:
        model = AttendanceRevision
        fields = ["number", "reason", "recorded_by", "created_at", "entries"]


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its record. `minutes` and `attendance` list every revision, oldest
    first; the last one counts, the earlier ones are kept because they are never
    overwritten."""

    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)
    minutes = MinutesRevisionSerializer(many=True, read_only=True)
    attendance = AttendanceRevisionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda_items",
            "action_items",
            "minutes",
            "attendance",
        ]


# --- input --------------------------------------------------------------------------------


class InviteeInputSerializer(InputSerializer):
    organisation = VisibleId(Organisation)
    person = VisibleId(Person, required=False, allow_null=True)


class MeetingInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    arena = VisibleId(Arena, required=False, allow_null=True)
    programme = VisibleId(Programme, required=False, allow_null=True)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    time_zone = serializers.CharField(required=False, max_length=64)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    video_link = serializers.URLField(required=False, allow_blank=True, max_length=200)
    invitees = InviteeInputSerializer(many=True, required=False, max_length=1000)


class ReasonInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=LONG_TEXT)


class AttendanceEntryInputSerializer(InputSerializer):
    organisation = VisibleId(Organisation)
    person = VisibleId(Person, required=False, allow_null=True)
    status = AttendanceStatusField()


class AttendanceInputSerializer(InputSerializer):
    entries = AttendanceEntryInputSerializer(many=True, max_length=1000)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=LONG_TEXT,
        help_text=_("Required once attendance is recorded: a correction says why."),
    )


class MinutesInputSerializer(InputSerializer):
    text = serializers.CharField(max_length=LONG_TEXT, help_text=_("Markdown."))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=LONG_TEXT,
        help_text=_("Required once the minutes are approved: a correction says why."),
    )


class PlannedMinutes(serializers.IntegerField):
    """An agenda item's minutes: 1 to a day, zero-length items refused in the domain's words
    (dialogue.services.record says the same to the pages), and the schema shows the bounds."""

    message = _("Planned minutes must be more than 0: zero-length items are refused.")

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"min_value": self.message})
        super().__init__(min_value=1, max_value=24 * 60, **kwargs)


class ActualMinutes(PlannedMinutes):
    message = _("Actual minutes must be more than 0: zero-length items are refused.")

    def __init__(self, **kwargs):
        super().__init__(**{"required": False, "allow_null": True, **kwargs})


class AgendaItemInputSerializer(InputSerializer):
    meeting = VisibleId(Meeting)
    title = serializers.CharField(max_length=300)
    kind = AgendaKindField()
    planned_minutes = PlannedMinutes()
    actual_minutes = ActualMinutes()
    presenter = VisibleId(Organisation, required=False, allow_null=True)
    position = serializers.IntegerField(min_value=1, max_value=1000, required=False)


class AgendaItemChangeSerializer(InputSerializer):
    title = serializers.CharField(max_length=300, required=False)
    kind = AgendaKindField(required=False)
    planned_minutes = PlannedMinutes(required=False)
    actual_minutes = ActualMinutes()
    presenter = VisibleId(Organisation, required=False, allow_null=True)
    position = serializers.IntegerField(min_value=1, max_value=1000, required=False)


class DecisionInputSerializer(InputSerializer):
    text = serializers.CharField(max_length=LONG_TEXT)


class ActionItemInputSerializer(InputSerializer):
    meeting = VisibleId(Meeting)
    title = serializers.CharField(max_length=300)
    owner_organisation = VisibleId(Organisation)
    owner_person = VisibleId(Person, required=False, allow_null=True)
    due_date = DateField()
    agenda_item = VisibleId(AgendaItem, required=False, allow_null=True)


class LogAgendaEntrySerializer(InputSerializer):
    id = VisibleId(
        AgendaItem, required=False, help_text=_("An item of the planned agenda to update.")
    )
    title = serializers.CharField(max_length=300, required=False)
    kind = AgendaKindField(required=False)
    planned_minutes = PlannedMinutes(required=False)
    actual_minutes = ActualMinutes()
    presenter = VisibleId(Organisation, required=False, allow_null=True)
    decisions = serializers.ListField(
        child=serializers.CharField(max_length=LONG_TEXT), required=False, max_length=100
    )

    def validate(self, attrs):
        if "id" not in attrs:
            missing = [f for f in ("title", "kind", "planned_minutes") if f not in attrs]
            if missing:
                raise serializers.ValidationError(
                    {f: [_("Required for a new agenda item.")] for f in missing}
                )
        return attrs


class LogActionSerializer(InputSerializer):
    title = serializers.CharField(max_length=300)
    owner_organisation = VisibleId(Organisation)
    owner_person = VisibleId(Person, required=False, allow_null=True)
    due_date = DateField()
    agenda_index = serializers.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        allow_null=True,
        help_text=_("Index (from 0) into this request's agenda list."),
    )


class MeetingLogInputSerializer(InputSerializer):
    attendance = AttendanceEntryInputSerializer(many=True, required=False, max_length=1000)
    agenda = LogAgendaEntrySerializer(many=True, required=False, max_length=100)
    actions = LogActionSerializer(many=True, required=False, max_length=500)
    minutes = serializers.CharField(
        required=False, allow_blank=True, max_length=LONG_TEXT, help_text=_("Markdown.")
    )


class NewMeetingLogInputSerializer(MeetingLogInputSerializer):
    meeting = MeetingInputSerializer()
