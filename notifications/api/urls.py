"""The notifications app's API routes, one router.

/notifications/                  GET: my notifications (?unread=true|false), unread first
/notifications/{id}/read/        POST: mark one of mine read
/notifications/read-all/         POST: mark all mine read
/notification-settings/          GET, PUT: how each kind is emailed to me; my digest's time
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NoticeViewSet, basename="api-notification")

urlpatterns = [
    path(
        "notification-settings/",
        views.NotificationSettingsView.as_view(),
        name="notification-settings",
    ),
    *router.urls,
]
