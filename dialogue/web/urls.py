"""The dialogue pages.

Meetings: the list, logging a held meeting, and a meeting's own page.

Consultations, for provider representatives:

consultations/                                        the consultations the person sees
consultations/<id>/                                   clause by clause, countdown, comment form
consultations/<id>/countdown/                         the countdown now (JSON, for the script)
consultations/<id>/comments/                          POST: a new comment
consultations/<id>/preview/                           POST: the Markdown rendered (htmx)
consultations/<id>/comments/<comment_id>/             one comment, its history and response
consultations/<id>/comments/<comment_id>/edit/        POST: a new revision
consultations/<id>/comments/<comment_id>/withdraw/    POST
consultations/<id>/comments/<comment_id>/cosign/      POST: a member signs its network's comment
consultations/<id>/comments/<comment_id>/uncosign/    POST

Concerns, for both sides of a relationship:

concerns/                                             the concerns the person sees
concerns/new/                                         raise one
concerns/<id>/                                        its history and the moves allowed
concerns/<id>/acknowledge/, discussed/, resolve/, withdraw/   POST

relationships/                                        relationship health, most in need first
relationships/<purchaser_id>/<provider_id>/           one relationship: meetings, concerns, trust

"consultation-pages" is also the name of the API's list route; the navigation reverses it, and
Django gives the pattern included last, this one.
"""

from django.urls import path

from dialogue.web import concerns, consultations, meetings, relationships
from dialogue.web import consultation_comments as comments

CONCERN = "concerns/<int:concern_id>/"
COMMENT = "consultations/<int:consultation_id>/comments/<int:comment_id>/"

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
    path("consultations/", consultations.consultation_list, name="consultation-pages"),
    path(
        "consultations/<int:consultation_id>/",
        consultations.consultation_page,
        name="consultation-page",
    ),
    path(
        "consultations/<int:consultation_id>/countdown/",
        consultations.consultation_countdown,
        name="consultation-countdown",
    ),
    path(
        "consultations/<int:consultation_id>/comments/",
        consultations.post_comment,
        name="consultation-comment-post",
    ),
    path(
        "consultations/<int:consultation_id>/preview/",
        consultations.preview,
        name="consultation-comment-preview",
    ),
    path(COMMENT, comments.comment_page, name="consultation-comment-page"),
    path(f"{COMMENT}edit/", comments.edit_comment, name="consultation-comment-edit"),
    path(f"{COMMENT}withdraw/", comments.withdraw_comment, name="consultation-comment-withdraw"),
    path(f"{COMMENT}cosign/", comments.cosign_comment, name="consultation-comment-cosign"),
    path(f"{COMMENT}uncosign/", comments.uncosign_comment, name="consultation-comment-uncosign"),
    path("concerns/", concerns.concern_list_page, name="concern-pages"),
    path("concerns/new/", concerns.concern_raise, name="concern-raise"),
    path(CONCERN, concerns.concern_page, name="concern-page"),
    path(f"{CONCERN}acknowledge/", concerns.concern_acknowledge, name="concern-acknowledge"),
    path(f"{CONCERN}discussed/", concerns.concern_discussed, name="concern-discussed"),
    path(f"{CONCERN}resolve/", concerns.concern_resolve, name="concern-resolve"),
    path(f"{CONCERN}withdraw/", concerns.concern_withdraw, name="concern-withdraw"),
    path("relationships/", relationships.relationship_list, name="relationship-pages"),
    path(
        "relationships/<int:purchaser_id>/<int:provider_id>/",
        relationships.relationship_page,
        name="relationship-page",
    ),
]
