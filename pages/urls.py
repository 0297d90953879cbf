"""The pages that gather several apps: home, the manager dashboard, the politician's
briefings, and the trust pulse behind its personal link (no login)."""

from django.urls import path

from pages import briefings, dashboard, home, pulse

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("briefings/", briefings.briefing_list, name="briefing-list"),
    path(
        "briefings/programmes/<int:programme_id>/",
        briefings.programme_overview,
        name="briefing-programme",
    ),
    path(
        "briefings/programmes/<int:programme_id>/order/",
        briefings.order_briefing,
        name="briefing-order",
    ),
    path(
        "briefings/documents/<int:document_id>/progress/",
        briefings.briefing_progress,
        name="briefing-progress",
    ),
    path("pulse/<str:token>/", pulse.pulse_page, name="pulse"),
    path(
        "consultations/<int:consultation_id>/pulse/",
        pulse.consultation_pulse,
        name="consultation-pulse",
    ),
    path("pulse/<str:token>/unsubscribe/", pulse.unsubscribe, name="pulse-unsubscribe"),
]
