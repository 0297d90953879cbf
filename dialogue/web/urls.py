"""The dialogue pages.

Meetings: the list, logging a held meeting, and a meeting's own page.

meetings/plan/                              plan a meeting: invitations, typed agenda
meetings/<id>/edit/                         change a planned meeting (invitees are told)
meetings/<id>/cancel/                       cancel with a reason
meetings/<id>/hold/                         mark held: who came, the minutes
meetings/<id>/approve-minutes/              POST: a manager approves the minutes
meetings/<id>/attendance/                   record or correct (with a reason) the attendance
meetings/<id>/minutes/                      write or correct (with a reason) the minutes
actions/                                    my open actions
actions/assigned/                           actions I assigned
actions/<id>/done/                          POST: mark an action done
actions/<id>/drop/                          drop an action with a reason

Consultations, for provider representatives:

consultations/                                        the consultations the person sees
consultations/<id>/                                   clause by clause, countdown, comment form
consultations/<id>/countdown/                         the countdown now (JSON, for the script)
consultations/<id>/comments/                          POST: a new comment
consultations/<id>/preview/                           POST: the Markdown rendered (htmx)
consultations/<id>/comments/<comment_id>/             one comment, its history and response
consultations/<id>/comments/<comment_id>/edit/        POST: a new revision
consultations/<id>/comments/<comment_id>/withdraw/    GET: confirm; POST: withdraw
consultations/<id>/comments/<comment_id>/restore/     POST: restore a withdrawn comment
consultations/<id>/comments/<comment_id>/receipt/     the printable receipt
consultations/<id>/drafts/<draft_id>/                 a network's draft joint comment
consultations/<id>/drafts/<draft_id>/edit/            POST: a new revision (the network)
consultations/<id>/drafts/<draft_id>/circulate/       POST: to the members (the network)
consultations/<id>/drafts/<draft_id>/submit/          POST: as a comment (the network)
consultations/<id>/drafts/<draft_id>/cosign/          POST (a member); uncosign/ POST
consultations/<id>/comments/<comment_id>/cosign/      POST: a member signs its network's comment
consultations/<id>/comments/<comment_id>/uncosign/    POST

Published, without sign-in (dialogue/web/public.py): public/consultations/, one consultation's
page, and per purchaser an Atom feed and the OCDS release packages.

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

from dialogue.web import (
    actions,
    adoption,
    concerns,
    console,
    console_responses,
    consultations,
    downloads,
    meeting_plan,
    meeting_record,
    meetings,
    public,
    relationships,
)
from dialogue.web import consultation_comments as comments
from dialogue.web import consultation_drafts as drafts

MEETING = "meetings/<int:meeting_id>/"
CONCERN = "concerns/<int:concern_id>/"
COMMENT = "consultations/<int:consultation_id>/comments/<int:comment_id>/"
DRAFT = "consultations/<int:consultation_id>/drafts/<int:draft_id>/"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting-pages"),
    path("meetings/log/", meetings.meeting_log, name="meeting-log-page"),
    path("meetings/log/dialogue-share/", meetings.meeting_log_share, name="meeting-log-share"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting-page"),
    # Planning, holding and correcting a meeting; the actions agreed (dialogue/web/
    # meeting_plan.py, meeting_record.py, actions.py).
    path("meetings/plan/", meeting_plan.meeting_plan, name="meeting-plan-page"),
    path(f"{MEETING}edit/", meeting_plan.meeting_edit, name="meeting-edit-page"),
    path(f"{MEETING}cancel/", meeting_plan.meeting_cancel, name="meeting-cancel-page"),
    path(f"{MEETING}hold/", meeting_record.meeting_hold, name="meeting-hold-page"),
    path(
        f"{MEETING}approve-minutes/",
        meeting_record.meeting_approve_minutes,
        name="meeting-approve-minutes-page",
    ),
    path(
        f"{MEETING}attendance/", meeting_record.meeting_attendance, name="meeting-attendance-page"
    ),
    path(f"{MEETING}minutes/", meeting_record.meeting_minutes, name="meeting-minutes-page"),
    path("actions/", actions.my_actions, name="my-actions"),
    path("actions/assigned/", actions.assigned_actions, name="assigned-actions"),
    path("actions/<int:action_id>/done/", actions.action_done, name="action-done"),
    path("actions/<int:action_id>/drop/", actions.action_drop, name="action-drop"),
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
    path(f"{COMMENT}restore/", comments.restore_comment, name="consultation-comment-restore"),
    path(f"{COMMENT}receipt/", comments.comment_receipt, name="consultation-comment-receipt"),
    path(DRAFT, drafts.draft_page, name="consultation-draft-page"),
    path(f"{DRAFT}edit/", drafts.edit_draft, name="consultation-draft-edit"),
    path(f"{DRAFT}circulate/", drafts.circulate_draft, name="consultation-draft-circulate"),
    path(f"{DRAFT}submit/", drafts.submit_draft, name="consultation-draft-submit"),
    path(f"{DRAFT}cosign/", drafts.cosign_draft, name="consultation-draft-cosign"),
    path(f"{DRAFT}uncosign/", drafts.uncosign_draft, name="consultation-draft-uncosign"),
    path("public/consultations/", public.published_list, name="public-consultations"),
    path(
        "public/consultations/<int:consultation_id>/",
        public.published_consultation,
        name="public-consultation",
    ),
    path(
        "public/purchasers/<int:purchaser_id>/consultations.atom",
        public.purchaser_feed,
        name="public-feed",
    ),
    path("public/purchasers/<int:purchaser_id>/ocds/", public.purchaser_ocds, name="public-ocds"),
]

# The consultations console of a purchaser's staff (dialogue/web/console*.py, adoption.py,
# downloads.py):
#
# consultations/schedule/                                     GET, POST: a new consultation
# consultations/<id>/console/                                 comments by clause, filters, counts
# consultations/<id>/console/open/ | close/ | extend/          POST
# consultations/<id>/console/comments/<comment_id>/response/  GET, POST: write or edit a response
# consultations/<id>/console/you-said-we-did/                 the report as it stands
# consultations/<id>/console/adoption/                        GET, POST: blockers, adopt
# consultations/<id>/comments.csv | comments.xlsx             the comments as a file
CONSOLE = "consultations/<int:consultation_id>/console/"
urlpatterns += [
    path("consultations/schedule/", console.schedule, name="consultation-schedule"),
    path(CONSOLE, console.console, name="consultation-console"),
    path(f"{CONSOLE}open/", console.open_consultation, name="consultation-console-open"),
    path(f"{CONSOLE}close/", console.close_consultation, name="consultation-console-close"),
    path(f"{CONSOLE}extend/", console.extend_consultation, name="consultation-console-extend"),
    path(
        f"{CONSOLE}comments/<int:comment_id>/response/",
        console_responses.response_form,
        name="consultation-console-response",
    ),
    path(
        f"{CONSOLE}you-said-we-did/",
        console_responses.you_said_we_did,
        name="consultation-console-you-said",
    ),
    path(f"{CONSOLE}adoption/", adoption.adoption, name="consultation-console-adoption"),
    path(
        "consultations/<int:consultation_id>/comments.csv",
        downloads.comments_csv,
        name="consultation-comments-csv-page",
    ),
    path(
        "consultations/<int:consultation_id>/comments.xlsx",
        downloads.comments_xlsx,
        name="consultation-comments-xlsx",
    ),
    path("concerns/", concerns.concern_list_page, name="concern-pages"),
    path("concerns/new/", concerns.concern_raise, name="concern-raise"),
    path(CONCERN, concerns.concern_page, name="concern-page"),
    path(f"{CONCERN}acknowledge/", concerns.concern_acknowledge, name="concern-acknowledge-page"),
    path(f"{CONCERN}discussed/", concerns.concern_discussed, name="concern-discussed-page"),
    path(f"{CONCERN}resolve/", concerns.concern_resolve, name="concern-resolve-page"),
    path(f"{CONCERN}withdraw/", concerns.concern_withdraw, name="concern-withdraw-page"),
    path("relationships/", relationships.relationship_list, name="relationship-pages"),
    path(
        "relationships/<int:purchaser_id>/<int:provider_id>/",
        relationships.relationship_page,
        name="relationship-page",
    ),
]
