"""Serializers of a person's API tokens: what a list shows (never the secret, which is not
kept), and the one answer that carries the secret, when the token is made."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import ApiToken
from accounts.services.tokens import NAME_MAX_LENGTH
from commissioning.api.base import InputSerializer


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(
        read_only=True, help_text=_("The first characters of the secret, to tell tokens apart.")
    )
    last_used_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("When the token was last used, to the minute; null if never."),
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.SerializerMethodField(
        help_text=_(
            "The secret: send it as `Authorization: Token …`. It is shown only now; keep it "
            "like a password."
        )
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields

    def get_token(self, token) -> str:
        return self.context["secret"]


class ApiTokenCreateSerializer(InputSerializer):
    name = serializers.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Where the token is used, e.g. “Reporting script”."),
    )
