"""Serializers of consultations and their comments."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import NO_SUCH_MOMENT, OUT_OF_RANGE, kept_moment
from commissioning.api.fields import VisibleIds, VisibleRow
from commissioning.api.representation import CompiledRepresentation, nested_once
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Organisation
from dialogue.api.relationship_serializers import inline_choices
from dialogue.models import Comment, CommentRevision, Consultation, CoSignature
from dialogue.selectors import consultations as consultation_selectors
from dialogue.services import consultations

ConsultationStatusField = inline_choices(Consultation.Status.choices, "scheduled, open or closed.")
VisibilityField = inline_choices(
    Consultation.Visibility.choices,
    "private_until_close: an organisation sees only its own and its networks' comments until "
    "the close; open: participants see every comment as it comes.",
)
CommentKindField = inline_choices(
    Comment.Kind.choices, "question, objection, proposal (with suggested wording) or support."
)
CommentStatusField = inline_choices(
    Comment.Status.choices, "draft (a network's comment not yet submitted), submitted or withdrawn."
)


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.Field):
    """An ISO 8601 instant with its offset. A time without one is refused rather than read in
    the server's zone: a Norwegian officer and a Swedish server must mean the same instant."""

    default_error_messages = {
        "invalid": _("Give a date and time in ISO 8601, e.g. 2026-05-04T17:00:00+02:00."),
        "naive": _(
            "Give the time zone offset too (e.g. +02:00 or Z); a time without one is ambiguous."
        ),
        "no_such_moment": NO_SUCH_MOMENT,
        "out_of_range": OUT_OF_RANGE,
    }

    def to_internal_value(self, data):
        try:
            value = parse_datetime(str(data))
        except ValueError:  # the right shape, but no such day or time
            self.fail("no_such_moment", value=str(data).strip())
        if value is None:
            self.fail("invalid")
        if timezone.is_naive(value):
            self.fail("naive")
        return kept_moment(self, value, data)

    def to_representation(self, value):
        return value.isoformat()


# --- consultations ----------------------------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    status = ConsultationStatusField(read_only=True)
    visibility = VisibilityField(read_only=True)
    time_zone = serializers.CharField(
        source="programme.time_zone",
        read_only=True,
        help_text=_("The programme's time zone, in which the *_local times are given."),
    )
    opens_at_local = serializers.SerializerMethodField()
    closes_at_local = serializers.SerializerMethodField()
    invited = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    window_open = serializers.SerializerMethodField(
        help_text=_("true while comments are accepted: open, and the close not yet passed.")
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "purchaser",
            "programme",
            "rulebook_version",
            "contract_version",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "time_zone",
            "opens_at_local",
            "closes_at_local",
            "visibility",
            "public",
            "status",
            "window_open",
            "allowed_transitions",
            "invited",
            "opened_at",
            "closed_at",
            "created_at",
        ]

    def get_opens_at_local(self, consultation) -> str:
        return consultation_selectors.local_time(consultation, consultation.opens_at).isoformat()

    def get_closes_at_local(self, consultation) -> str:
        return consultation_selectors.local_time(consultation, consultation.closes_at).isoformat()

    def get_invited(self, consultation) -> list[int]:
        return [i.organisation_id for i in consultation.invitations.all()]

    def get_allowed_transitions(self, consultation) -> list[str]:
        return consultations.CONSULTATION_LIFECYCLE.allowed_next(consultation.status)

    def get_window_open(self, consultation) -> bool:
        return consultation.status == Consultation.Status.OPEN and (
            timezone.now() < consultation.closes_at
        )


class ConsultationInputSerializer(InputSerializer):
    rulebook_version = VisibleRow("contracts.RulebookVersion", required=False, allow_null=True)
    contract_version = VisibleRow("contracts.ContractVersion", required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    opens_at = AwareDateTimeField()
    closes_at = AwareDateTimeField()
    visibility = serializers.ChoiceField(
        choices=Consultation.Visibility.choices,
        default=Consultation.Visibility.PRIVATE_UNTIL_CLOSE,
    )
    public = serializers.BooleanField(
        default=True,
        help_text=_(
            "true (the default): after the close, published without sign-in with every "
            "comment's organisation and the responses, in the Atom feed and as OCDS."
        ),
    )
    invited = VisibleIds(
        Organisation,
        required=False,
        help_text=_(
            "Ids of the providers and networks to invite; leave out to invite every provider "
            "and network taking part in the programme."
        ),
    )


class ConsultationUpdateSerializer(InputSerializer):
    patch_needs_a_field = True  # an empty PATCH changes nothing and is refused
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    opens_at = AwareDateTimeField(required=False)
    closes_at = AwareDateTimeField(required=False)
    visibility = serializers.ChoiceField(choices=Consultation.Visibility.choices, required=False)
    public = serializers.BooleanField(required=False)
    invited = VisibleIds(Organisation, required=False)


class ConsultationExtendSerializer(InputSerializer):
    closes_at = AwareDateTimeField(
        help_text=_(
            "The new close time. Later is always allowed before the close passes; once open, "
            "earlier only to no less than 24 hours from now."
        )
    )


class EmptyConsultationInputSerializer(InputSerializer):
    """Nothing to send."""


# --- comments ---------------------------------------------------------------------------


class ClauseBriefSerializer(CompiledRepresentation, serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    heading = serializers.CharField()


class CoSignerSerializer(CompiledRepresentation, serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = CoSignature
        fields = ["organisation", "signed_at"]


class CommentSerializer(CompiledRepresentation, serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)
    clause = ClauseBriefSerializer(read_only=True, allow_null=True)
    kind = CommentKindField(read_only=True)
    status = CommentStatusField(read_only=True)
    body = serializers.SerializerMethodField(help_text=_("The current text (Markdown)."))
    body_html = serializers.SerializerMethodField(
        help_text=_("The current text rendered to sanitised HTML.")
    )
    suggested_wording = serializers.SerializerMethodField()
    revision = serializers.SerializerMethodField(help_text=_("Number of the current revision."))
    edited_at = serializers.SerializerMethodField(
        help_text=_("When the current revision was written.")
    )
    cosigners = serializers.SerializerMethodField()
    reference = serializers.CharField(
        read_only=True,
        help_text=_("The receipt's reference (R-2026-000123); empty for a draft."),
    )
    answered = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "true when the purchaser has written a response; null until responses are "
            "published at the close."
        ),
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "consultation",
            "organisation",
            "clause",
            "span_start",
            "span_end",
            "quoted_text",
            "kind",
            "status",
            "body",
            "body_html",
            "suggested_wording",
            "revision",
            "submitted_at",
            "edited_at",
            "withdrawn_at",
            "circulated_at",
            "cosigners",
            "reference",
            "answered",
        ]
        # What the methods read beyond the fields (api/columns.py): only the prefetched
        # revisions and co-signatures.
        reads = []

    def _current(self, comment) -> CommentRevision:
        # Five fields read the current revision: found once per comment, not five times.
        current = comment.__dict__.get("_current_revision")
        if current is None:
            current = comment.__dict__["_current_revision"] = list(comment.revisions.all())[-1]
        return current

    def get_body(self, comment) -> str:
        return self._current(comment).body

    def get_body_html(self, comment) -> str:
        return self._current(comment).html

    def get_suggested_wording(self, comment) -> str:
        return self._current(comment).suggested_wording

    def get_revision(self, comment) -> int:
        return self._current(comment).number

    def get_edited_at(self, comment) -> str:
        return self._current(comment).created_at.isoformat()

    @extend_schema_field(CoSignerSerializer(many=True))
    def get_cosigners(self, comment):
        cosigners = nested_once(self, "_cosigners", lambda: CoSignerSerializer(many=True))
        return cosigners.to_representation(comment.active_cosignatures)


class CommentRevisionSerializer(serializers.ModelSerializer):
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = CommentRevision
        fields = ["number", "body", "body_html", "suggested_wording", "created_at"]

    def get_body_html(self, revision) -> str:
        return revision.html


class CommentInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=Comment.Kind.choices)
    body = serializers.CharField(
        trim_whitespace=False, help_text=_("Markdown, at most 20,000 characters.")
    )
    clause = VisibleRow(
        "contracts.Clause",
        required=False,
        allow_null=True,
        help_text=_("Leave out for a general comment."),
    )
    span_start = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    span_end = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    quoted_text = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    suggested_wording = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )


class CommentEditSerializer(InputSerializer):
    """A new revision: its text whole (`body`), and the suggested wording if any."""

    patch_is_partial = False  # its view validates a PATCH whole
    body = serializers.CharField(trim_whitespace=False)
    suggested_wording = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False
    )
