from django.urls import path

from notifications.web import unsubscribe

urlpatterns = [
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe.unsubscribe,
        name="notification-unsubscribe",
    ),
]
