"""The pages that gather several apps: home, the manager dashboard, the politician's
briefings, the trust pulse behind its personal link (no login), and the person's profile."""

from django.urls import path

from pages import briefing_documents, briefings, dashboard, home, profile, pulse

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
        "briefings/programmes/<int:programme_id>/ask/",
        briefings.ask_for_briefing,
        name="briefing-ask",
    ),
    path("briefings/all/", briefing_documents.briefing_documents, name="briefing-documents"),
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
    path("profile/", profile.profile, name="profile"),
    path("profile/name/", profile.change_name, name="profile-name"),
    path("profile/preferences/", profile.change_preferences, name="profile-preferences"),
    path("profile/notifications/", profile.change_notifications, name="profile-notifications"),
    path("profile/tokens/", profile.create_token, name="profile-tokens"),
    path(
        "profile/tokens/<int:token_id>/revoke/",
        profile.revoke_token,
        name="profile-token-revoke",
    ),
    path("profile/calendar-feed/", profile.make_calendar_feed, name="profile-calendar"),
    path("profile/calendar-feed/reset/", profile.reset_feed, name="profile-calendar-reset"),
]
