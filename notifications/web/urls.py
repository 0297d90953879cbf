from django.urls import path

from notifications.web import notices, unsubscribe

urlpatterns = [
    path("notifications/", notices.notice_list, name="notification-list"),
    path("notifications/read-all/", notices.read_all, name="notification-read-all"),
    path("notifications/<int:notice_id>/", notices.open_notice, name="notification-open"),
    path("notifications/<int:notice_id>/read/", notices.read_notice, name="notification-read"),
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe.unsubscribe,
        name="notification-unsubscribe",
    ),
]
