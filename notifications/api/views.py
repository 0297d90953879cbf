"""Thin views of the signed-in person's notifications and their settings. A person sees and
marks only their own notices: another's answers 404, exactly as a missing one."""

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.models import Profile
from commissioning.policies import Writers
from notifications.api.filters import NoticeFilter
from notifications.api.serializers import (
    NoticeSerializer,
    NotificationSettingsInputSerializer,
    NotificationSettingsSerializer,
    ReadAllSerializer,
)
from notifications.models import Notice
from notifications.selectors import inbox_of, preferences_of
from notifications.services.preferences import set_delivery, set_digest_time
from notifications.services.reading import mark_all_read, mark_read


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My notifications, unread first, then newest first (`?unread=true` for the unread
    only). The same list as the page /notifications/."""

    # A person's own things: every role reads and marks its own.
    writers = Writers.ANYONE
    lookup_value_regex = "[0-9]+"
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Notice.objects.none()
        return inbox_of(self.request.user)

    @extend_schema(request=None, responses=NoticeSerializer, operation_id="notifications_read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of my notifications read (already read: unchanged)."""
        notice = mark_read(person=request.user, notice_id=int(pk))
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses=ReadAllSerializer, operation_id="notifications_read_all")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all my notifications read."""
        return Response({"read": mark_all_read(person=request.user)})


def settings_of(person) -> dict:
    profile = Profile.objects.filter(person=person).first() or Profile()
    return {
        "kinds": [
            {
                "kind": row["kind"].code,
                "label": row["kind"].label,
                "description": row["kind"].description,
                "required": row["kind"].required,
                "delivery": row["delivery"],
            }
            for row in preferences_of(person)
        ],
        "digest_time": profile.digest_time.strftime("%H:%M"),
        "time_zone": profile.time_zone or settings.TIME_ZONE,
    }


class NotificationSettingsView(APIView):
    """How each kind of notification is emailed to me (at once, in my daily digest, or not
    at all: every notification is in my list whatever I choose), and when my digest comes."""

    writers = Writers.ANYONE

    @extend_schema(responses=NotificationSettingsSerializer, operation_id="notification_settings")
    def get(self, request):
        return Response(NotificationSettingsSerializer(settings_of(request.user)).data)

    @extend_schema(
        request=NotificationSettingsInputSerializer,
        responses=NotificationSettingsSerializer,
        operation_id="notification_settings_update",
    )
    def put(self, request):
        """Change them, all or none: a kind that must reach me refuses to be turned off."""
        serializer = NotificationSettingsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            for row in data["kinds"]:
                set_delivery(
                    person=request.user,
                    kind=row["kind"],
                    delivery=row["delivery"],
                    actor=request.user,
                )
            set_digest_time(person=request.user, at=data["digest_time"])
        return Response(NotificationSettingsSerializer(settings_of(request.user)).data)
