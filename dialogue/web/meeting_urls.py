"""The meeting pages: the list, logging a held meeting, and a meeting's own page."""

from django.urls import path

from dialogue.web import meetings

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting-pages"),
    path("meetings/log/", meetings.meeting_log, name="meeting-log-page"),
    path("meetings/log/dialogue-share/", meetings.meeting_log_share, name="meeting-log-share"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting-page"),
    path(
        "meetings/<int:meeting_id>/calendar.ics",
        meetings.meeting_calendar_file,
        name="meeting-calendar",
    ),
    path(
        "meetings/<int:meeting_id>/summary/",
        meetings.meeting_summary_order,
        name="meeting-summary-order",
    ),
    path(
        "meetings/<int:meeting_id>/summary/<int:document_id>/",
        meetings.meeting_summary_status,
        name="meeting-summary-status",
    ),
]
