"""The politician's briefings journey."""

from django.urls import path

from workers.web import briefings

urlpatterns = [
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
]
