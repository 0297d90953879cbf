from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What people are told and how: the occasions that notify them (notifications.handlers,
    found by the relay), their choices per kind, the in-app list, the digests and the
    one-click unsubscribe."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The digest's task, for the worker and beat (tasks live beside their service).
        from notifications import digests  # noqa: F401
