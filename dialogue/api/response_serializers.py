"""Serializers of responses, the consultation summary and "you said, we did". The summary
and "you said, we did" are plain structures built in dialogue.selectors.consultation_summary; these
serializers describe them for the schema and pass them through."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateTimeField
from commissioning.api.fields import VisibleId
from dialogue.models import Comment, Response
from dialogue.services.responses import REASON_MAX_LENGTH

OUTCOMES = "accepted, partly_accepted, not_accepted or noted."


def _inline_enum(values, description: str):
    """A read-only string documented with its values inline: "kind" and "status" name the
    choice sets of several models, and shared enum component names would collide."""
    # A subclass of its own: annotating serializers.CharField itself would document every
    # string field of the whole API as this enum.
    field_class = type("InlineEnumField", (serializers.CharField,), {})
    return extend_schema_field(
        {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    )(field_class)


ResponseOutcomeField = _inline_enum(Response.Outcome.values, OUTCOMES)
CommentKindField = _inline_enum(Comment.Kind.values, "question, objection, proposal or support.")
CommentStatusField = _inline_enum(Comment.Status.values, "submitted or withdrawn.")
DiffOpField = _inline_enum(
    ["equal", "delete", "insert"], "A run of equal, deleted or inserted words."
)
ClauseChangeField = _inline_enum(
    ["unchanged", "changed", "moved", "removed"], "What the next version did to the clause."
)


# --- responses ----------------------------------------------------------------------------


class ResponseInputSerializer(InputSerializer):
    outcome = serializers.ChoiceField(
        choices=Response.Outcome.choices, help_text=_("accepted, partly_accepted, ...")
    )
    # Blank passes here so that the service answers with its own message on the field.
    reason = serializers.CharField(
        allow_blank=True, max_length=REASON_MAX_LENGTH, help_text=_("Why; required.")
    )
    changed_clause = VisibleId(
        "contracts.Clause",
        required=False,
        allow_null=True,
        help_text=_(
            "Id of the clause of a later version of the rulebook that changed because of "
            "the comment; leave out or null when the text did not change."
        ),
    )


class ChangedClauseVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()


class ResponseChangedClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    heading = serializers.CharField()
    version = ChangedClauseVersionSerializer()


class ResponseSerializer(serializers.ModelSerializer):
    outcome = ResponseOutcomeField()
    changed_clause = serializers.SerializerMethodField()
    published = serializers.SerializerMethodField(
        help_text=_("False while the consultation is open: participants cannot read it yet.")
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "comment",
            "outcome",
            "reason",
            "changed_clause",
            "published",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ResponseChangedClauseSerializer(allow_null=True))
    def get_changed_clause(self, response) -> dict | None:
        clause = response.changed_clause
        if clause is None:
            return None
        return {
            "id": clause.id,
            "key": clause.key,
            "heading": clause.heading,
            "version": {"id": clause.version_id, "number": clause.version.number},
        }

    def get_published(self, response) -> bool:
        return bool(self.context.get("published"))


# --- summary ------------------------------------------------------------------------------


class ReportConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    visibility = serializers.CharField()
    opens_at = DateTimeField()
    closes_at = DateTimeField()
    time_zone = serializers.CharField(help_text=_("The programme's time zone."))


class SummaryClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    heading = serializers.CharField()


class SummaryClauseCountSerializer(serializers.Serializer):
    clause = SummaryClauseSerializer(allow_null=True, help_text=_("Null for general comments."))
    comments = serializers.IntegerField()
    answered = serializers.IntegerField(allow_null=True)


class SummaryKindCountSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    objection = serializers.IntegerField()
    proposal = serializers.IntegerField()
    support = serializers.IntegerField()


class SummaryOwnershipCountSerializer(serializers.Serializer):
    public = serializers.IntegerField()
    private = serializers.IntegerField()
    non_profit = serializers.IntegerField()
    network = serializers.IntegerField(help_text=_("Comments of provider networks."))


class ReportOrganisationNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SummaryNetworkCountSerializer(serializers.Serializer):
    network = ReportOrganisationNameSerializer()
    comments = serializers.IntegerField()
    cosignatures = serializers.IntegerField()
    cosigners = ReportOrganisationNameSerializer(many=True)


class ReportOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    ownership = serializers.CharField(allow_blank=True)


class ConsultationSummarySerializer(serializers.Serializer):
    consultation = ReportConsultationSerializer()
    responses_published = serializers.BooleanField()
    comments = serializers.IntegerField(help_text=_("Submitted comments you can see."))
    withdrawn = serializers.IntegerField()
    answered = serializers.IntegerField(
        allow_null=True, help_text=_("Null until responses are published to you.")
    )
    share_answered = serializers.FloatField(allow_null=True)
    median_response_hours = serializers.FloatField(
        allow_null=True,
        help_text=_("Median hours from a comment's submission to its response."),
    )
    by_clause = SummaryClauseCountSerializer(many=True)
    by_kind = SummaryKindCountSerializer()
    by_ownership = SummaryOwnershipCountSerializer()
    by_network = SummaryNetworkCountSerializer(many=True)
    did_not_comment = ReportOrganisationSerializer(
        many=True,
        allow_null=True,
        help_text=_(
            "Invited organisations that neither commented nor co-signed; for the purchaser's "
            "staff, and for everyone after the close."
        ),
    )


# --- you said, we did ---------------------------------------------------------------------


class ReportCommentClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()


class ReportSpanSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class ReportResponseSerializer(serializers.Serializer):
    outcome = ResponseOutcomeField()
    reason = serializers.CharField()
    changed_clause = ResponseChangedClauseSerializer(allow_null=True)


class ReportCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = CommentKindField()
    status = CommentStatusField()
    organisation = ReportOrganisationSerializer()
    clause = ReportCommentClauseSerializer(allow_null=True)
    span = ReportSpanSerializer(allow_null=True)
    is_network_comment = serializers.BooleanField()
    cosigners = ReportOrganisationNameSerializer(many=True)
    submitted_at = DateTimeField()
    quoted_text = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True, help_text=_("Markdown, the current revision."))
    text_html = serializers.CharField(allow_blank=True, help_text=_("Sanitised HTML of text."))
    suggested_wording = serializers.CharField(allow_blank=True)
    response = ReportResponseSerializer(allow_null=True)


class ReportDiffRunSerializer(serializers.Serializer):
    op = DiffOpField()
    text = serializers.CharField(allow_blank=True)


class ReportHeadingChangeSerializer(serializers.Serializer):
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class ReportNextClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    key = serializers.CharField()
    heading = serializers.CharField()


class ReportClauseChangeSerializer(serializers.Serializer):
    change = ClauseChangeField()
    clause = ReportNextClauseSerializer(
        allow_null=True, help_text=_("The clause in the next version.")
    )
    heading = ReportHeadingChangeSerializer(allow_null=True)
    text_diff = ReportDiffRunSerializer(many=True, allow_null=True)


class ReportClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class ReportClauseEntrySerializer(serializers.Serializer):
    clause = ReportClauseSerializer()
    comments = ReportCommentSerializer(many=True)
    next_version = ReportClauseChangeSerializer(
        allow_null=True, help_text=_("Null while there is no next version.")
    )


class ReportVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()


class YouSaidWeDidSerializer(serializers.Serializer):
    consultation = ReportConsultationSerializer()
    responses_included = serializers.BooleanField()
    responses_published = serializers.BooleanField()
    version = ReportVersionSerializer(allow_null=True)
    next_version = ReportVersionSerializer(allow_null=True)
    clauses = ReportClauseEntrySerializer(many=True)
    general = ReportCommentSerializer(many=True)
    added_clauses = ReportClauseSerializer(many=True)
