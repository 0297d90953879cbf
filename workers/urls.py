"""Pages outside the API: the trust pulse behind its personal link (no login)."""

from django.urls import path

from workers import pulse_views

urlpatterns = [
    path("pulse/<str:token>/", pulse_views.pulse_page, name="pulse"),
    path("pulse/<str:token>/unsubscribe/", pulse_views.unsubscribe, name="pulse-unsubscribe"),
]
