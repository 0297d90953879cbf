"""The trust pulse results: what the query may say, and the shape of the answer."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from commissioning.api.base import InputSerializer


class TrustResultsQuerySerializer(InputSerializer):
    """One scope: a programme, an arena, or a relationship (a purchaser and a provider)."""

    programme = serializers.IntegerField(required=False, min_value=1)
    arena = serializers.IntegerField(required=False, min_value=1)
    purchaser = serializers.IntegerField(required=False, min_value=1)
    provider = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        relationship = "purchaser" in attrs or "provider" in attrs
        scopes = ("programme" in attrs) + ("arena" in attrs) + relationship
        if scopes != 1:
            raise ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Give exactly one scope: programme, arena, or purchaser and "
                            "provider (a relationship)."
                        )
                    ]
                }
            )
        if relationship and not ("purchaser" in attrs and "provider" in attrs):
            missing = "provider" if "purchaser" in attrs else "purchaser"
            raise ValidationError(
                {missing: [_("A relationship needs both a purchaser and a provider.")]}
            )
        return attrs


class StatementFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    statement = serializers.CharField()
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    note = serializers.CharField(allow_null=True)


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="Calendar quarter of the occasions, e.g. 2026-Q3")
    n = serializers.IntegerField()
    statements = StatementFigureSerializer(many=True)
    free_texts = serializers.ListField(child=serializers.CharField())


class TrustResultsSerializer(serializers.Serializer):
    scope = serializers.DictField(child=serializers.IntegerField())
    min_answers = serializers.IntegerField()
    quarters = QuarterSerializer(many=True)
