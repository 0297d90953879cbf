from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.fields import VisibleId, VisibleIds
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Programme
from contracts.models import Clause, Rulebook, RulebookVersion
from contracts.services import rulebooks as rulebook_services

# --- output -------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": RulebookVersion.Status.values},
    component_name="RulebookVersionStatus",
)
class RulebookVersionStatusField(serializers.ChoiceField):
    """A version's status, as a schema component of its own: other models have a `status`
    too, with other choices, and the schema must not mix them up."""

    def __init__(self, **kwargs):
        super().__init__(choices=RulebookVersion.Status.choices, read_only=True, **kwargs)


class RulebookProgrammeSerializer(serializers.ModelSerializer):
    purchaser = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "purchaser"]


class VersionBriefSerializer(serializers.ModelSerializer):
    status = RulebookVersionStatusField()

    class Meta:
        model = RulebookVersion
        fields = ["id", "number", "status"]


class RulebookSerializer(serializers.ModelSerializer):
    programme = RulebookProgrammeSerializer(read_only=True)
    versions = VersionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Rulebook
        fields = ["id", "title", "programme", "versions", "created_at"]


class ClauseSerializer(serializers.ModelSerializer):
    lineage = serializers.UUIDField(
        read_only=True,
        help_text=_("The same for a clause in every version, even when its key changes."),
    )

    class Meta:
        model = Clause
        fields = ["id", "version", "key", "lineage", "position", "heading", "text"]


class RulebookVersionSerializer(serializers.ModelSerializer):
    status = RulebookVersionStatusField()
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, read_only=True
    )
    clause_count = serializers.IntegerField(read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = RulebookVersion
        fields = [
            "id",
            "rulebook",
            "number",
            "status",
            "summary",
            "based_on",
            "adopted_at",
            "created_by",
            "created_at",
            "clause_count",
            "is_editable",
            "allowed_transitions",
        ]

    def get_allowed_transitions(self, version) -> list[str]:
        return rulebook_services.VERSION_LIFECYCLE.allowed_next(version.status)


class RulebookVersionDetailSerializer(RulebookVersionSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta(RulebookVersionSerializer.Meta):
        fields = [*RulebookVersionSerializer.Meta.fields, "clauses"]


# --- the diff (documents the shape built by rulebook_selectors.version_diff) ----------------


class WordRunSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "delete", "insert"])
    text = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["heading", "text"])
    old = serializers.CharField()
    new = serializers.CharField()
    words = WordRunSerializer(
        many=True, required=False, help_text=_("Word by word, for the clause text.")
    )


class DiffClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lineage = serializers.UUIDField()
    key = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()


class DiffChangedClauseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The clause in the newer version."))
    old_id = serializers.IntegerField(help_text=_("The clause in the older version."))
    lineage = serializers.UUIDField()
    key = serializers.CharField()
    old_key = serializers.CharField()
    heading = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class RulebookVersionDiffSerializer(serializers.Serializer):
    from_version = VersionBriefSerializer()
    to_version = VersionBriefSerializer()
    added = DiffClauseSerializer(many=True)
    removed = DiffClauseSerializer(many=True)
    changed = DiffChangedClauseSerializer(many=True)
    moved = DiffChangedClauseSerializer(
        many=True, help_text=_("Renumbered clauses (key changed), with any other changes.")
    )
    unchanged = serializers.IntegerField()


# --- input --------------------------------------------------------------------------------


class RulebookInputSerializer(InputSerializer):
    programme = VisibleId(Programme)
    title = serializers.CharField(max_length=200)


class RulebookUpdateSerializer(InputSerializer):
    patch_is_partial = False  # its view validates a PATCH whole
    title = serializers.CharField(max_length=200)


class RulebookVersionInputSerializer(InputSerializer):
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class RulebookVersionUpdateSerializer(InputSerializer):
    patch_is_partial = False  # its view validates a PATCH whole
    summary = serializers.CharField(allow_blank=True, max_length=20000)


@extend_schema_field(
    # What contracts.services.clauses takes: CLAUSE_KEY once stripped and lower-cased (the
    # service checks it and says how to write one; the schema says it to generated clients).
    {"type": "string", "maxLength": 20, "pattern": r"^\s*[0-9]+(\.[0-9]+)*[A-Za-z]?\s*$"}
)
class ClauseKeyField(serializers.CharField):
    pass


class ClauseInputSerializer(InputSerializer):
    patch_needs_a_field = True  # an empty PATCH changes nothing and is refused
    key = ClauseKeyField(
        max_length=20, help_text=_("Numbers separated by dots, optionally a letter: 4.2, 4.2a.")
    )
    heading = serializers.CharField(max_length=300)
    text = serializers.CharField(required=False, allow_blank=True, max_length=100000)
    position = serializers.IntegerField(
        required=False, min_value=0, help_text=_("Left out: after the last clause.")
    )


class ClauseOrderSerializer(InputSerializer):
    clauses = VisibleIds(
        Clause,
        max_length=5000,
        help_text=_("Every clause id of the version, once each, in the new order."),
    )


class TransitionInputSerializer(InputSerializer):
    """A status move takes no fields besides acting_for."""
