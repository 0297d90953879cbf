"""Serializers of a person's notifications and of their settings: how each kind is emailed,
and the time of the daily digest."""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from notifications.kinds import Delivery
from notifications.models import KIND_CHOICES, Notice

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class NoticeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, read_only=True)
    url = serializers.CharField(
        read_only=True, help_text=_("The path of the page the notification is about.")
    )
    read = serializers.SerializerMethodField(help_text=_("Whether it is marked read."))

    class Meta:
        model = Notice
        fields = ["id", "kind", "title", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, notice) -> bool:
        return notice.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    read = serializers.IntegerField(help_text=_("How many notifications were marked read now."))


class KindSettingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, read_only=True)
    label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    required = serializers.BooleanField(
        read_only=True, help_text=_("Always emailed at once: it cannot be turned off.")
    )
    delivery = serializers.ChoiceField(choices=Delivery.choices, read_only=True)


class NotificationSettingsSerializer(serializers.Serializer):
    kinds = KindSettingSerializer(many=True, read_only=True)
    # A wall-clock time of the person's zone, without an offset (which OpenAPI's
    # `format: time` would require).
    digest_time = serializers.CharField(
        read_only=True,
        help_text=_("When the daily digest is sent (HH:MM), in `time_zone`."),
    )
    time_zone = serializers.CharField(
        read_only=True, help_text=_("The person's time zone (from their profile).")
    )


class KindChoiceSerializer(InputSerializer):
    kind = serializers.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    delivery = serializers.ChoiceField(label=_("Delivery"), choices=Delivery.choices)


class NotificationSettingsInputSerializer(InputSerializer):
    kinds = KindChoiceSerializer(
        many=True,
        label=_("Kinds"),
        help_text=_("How to email each kind named; a kind not named keeps its setting."),
    )
    digest_time = serializers.RegexField(
        TIME_PATTERN,
        label=_("Time of the daily digest"),
        help_text=_("HH:MM, in the person's time zone."),
        error_messages={"invalid": _("Give a time of day as HH:MM, e.g. 07:30.")},
    )

    def validate_digest_time(self, value) -> datetime.time:
        return datetime.time.fromisoformat(value)

    def validate_kinds(self, kinds):
        named = [row["kind"] for row in kinds]
        if len(named) != len(set(named)):
            raise serializers.ValidationError(_("Name each kind once."))
        return kinds
