from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateField
from commissioning.api.fields import VisibleId
from commissioning.models import (
    Milestone,
    MilestoneEvidence,
    MilestoneKind,
    MilestoneTemplate,
    MilestoneTemplateStep,
    Programme,
)


def _inline_choices(choices, description):
    """A choice field documented inline: "kind" and "status" name different choice sets in
    different apps, and named enum components of the same field name collide in the schema."""

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


MilestoneKindField = _inline_choices(
    MilestoneKind.choices, "OCDS milestone type (milestoneType codelist)."
)
MilestoneStatusField = _inline_choices(Milestone.Status.choices, "planned, met, missed or waived.")
EvidenceKindField = _inline_choices(
    MilestoneEvidence.Kind.choices, "meeting, consultation, document or link."
)


class MilestoneTemplateStepSerializer(serializers.ModelSerializer):
    kind = MilestoneKindField(read_only=True)

    class Meta:
        model = MilestoneTemplateStep
        fields = [
            "id",
            "position",
            "title",
            "description",
            "kind",
            "gating",
            "applies_to",
            "offset_days",
            "rationale",
        ]


class MilestoneTemplateSerializer(serializers.ModelSerializer):
    steps = MilestoneTemplateStepSerializer(many=True, read_only=True)

    class Meta:
        model = MilestoneTemplate
        fields = ["id", "framework", "name", "description", "steps"]


class MilestoneEvidenceSerializer(serializers.ModelSerializer):
    kind = EvidenceKindField(read_only=True)
    subject_type = serializers.SerializerMethodField()
    # The address to download an uploaded document from (streamed from the media storage).
    document = serializers.SerializerMethodField()

    class Meta:
        model = MilestoneEvidence
        fields = [
            "id",
            "kind",
            "title",
            "url",
            "document",
            "subject_type",
            "subject_id",
            "created_at",
        ]

    def get_document(self, evidence) -> str | None:
        if not evidence.document:
            return None
        address = reverse(
            "milestone-evidence-download",
            kwargs={"pk": evidence.milestone_id, "evidence_pk": evidence.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(address) if request is not None else address

    def get_subject_type(self, evidence) -> str | None:
        if evidence.subject_type is None:
            return None
        return f"{evidence.subject_type.app_label}.{evidence.subject_type.model}"


class MilestoneSerializer(serializers.ModelSerializer):
    kind = MilestoneKindField(read_only=True)
    status = MilestoneStatusField(read_only=True)
    effective_due_date = DateField(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField(
        help_text=_("Planned and past its due date; a job marks it missed later.")
    )
    evidence = MilestoneEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "programme",
            "contract",
            "template_step",
            "position",
            "title",
            "description",
            "rationale",
            "kind",
            "status",
            "gating",
            "due_date",
            "due_offset_days",
            "effective_due_date",
            "is_overdue",
            "met_on",
            "waiver_reason",
            "evidence",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, milestone) -> bool:
        return milestone.is_overdue


class MilestoneInputSerializer(InputSerializer):
    programme = VisibleId(Programme)
    contract = VisibleId("contracts.Contract", required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    kind = MilestoneKindField()
    gating = serializers.BooleanField(required=False)
    due_date = DateField(required=False, allow_null=True)
    due_offset_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=-3650,
        max_value=3650,
        help_text=_("Days from the programme's target decision date; -60 is 60 days before."),
    )
    position = serializers.IntegerField(required=False, min_value=0)


class MilestoneUpdateSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    kind = MilestoneKindField(required=False)
    gating = serializers.BooleanField(required=False)
    due_date = DateField(required=False, allow_null=True)
    due_offset_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=-3650, max_value=3650
    )
    position = serializers.IntegerField(required=False, min_value=0)


class WaiveInputSerializer(InputSerializer):
    # Missing or blank is let through here: the service checks the manager first, then gives
    # the one message about reasons.
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, trim_whitespace=False
    )


class MetInputSerializer(InputSerializer):
    met_on = DateField(required=False, allow_null=True)


class EvidenceInputSerializer(InputSerializer):
    kind = EvidenceKindField()
    title = serializers.CharField(max_length=200)
    url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    subject_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("dialogue.meeting or dialogue.consultation"),
    )
    subject_id = serializers.CharField(required=False, allow_blank=True, max_length=64)


class ApplyTemplateInputSerializer(InputSerializer):
    contract = VisibleId(
        "contracts.Contract",
        required=False,
        allow_null=True,
        help_text=_("Apply the template's contract steps to this contract of the programme."),
    )
