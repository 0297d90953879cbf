"""The dialogue app's API routes, one router. The explicit paths come before the router's
routes: they are more specific (meetings/<pk>/ics/ is not a route of the meeting viewset).

Meetings: /arenas/, /meetings/, /agenda-items/, /action-items/ (the router).

Calendar, concerns, relationship health and equal treatment: the paths below and /concerns/.

Consultations and comments:

/consultations/                          list (?programme, ?status), create
/consultations/{id}/                     read; PATCH while scheduled
/consultations/{id}/open/                scheduled -> open (the version goes into consultation)
/consultations/{id}/close/               open -> closed, once closes_at has passed
/consultations/{id}/extend/              move closes_at
/consultations/{id}/comments/            list (?clause, ?kind, ?organisation, ?answered); POST
/comments/{id}/                          read; PATCH edits (a new revision)
/comments/{id}/revisions/                every revision
/comments/{id}/withdraw/                 withdraw (history kept)
/comments/{id}/cosign/, /uncosign/       a network member's signature
/comments/{id}/restore/                  restore a withdrawn comment (until the close)
/consultations/{id}/drafts/              a network's draft joint comments; POST drafts one
/drafts/{id}/                            read; PATCH edits (network)
/drafts/{id}/circulate/, /submit/        to the members; as a comment (within the window)
/drafts/{id}/cosign/, /uncosign/         a member's signature of a circulated draft

Routes of responses, the consultation summary, "you said, we did" and the CSV export.

/comments/{id}/response/                  GET; PUT writes or replaces it (purchaser staff)
/consultations/{id}/summary/              figures over the comments you can see
/consultations/{id}/you-said-we-did/      clause by clause: comments, responses, changes
/consultations/{id}/comments.csv          the comments and responses as CSV

"""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from dialogue.api import (
    consultation_views,
    draft_views,
    relationship_views,
    response_views,
    views,
)

router = SimpleRouter()
router.register("arenas", views.ArenaViewSet, basename="arena")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("concerns", relationship_views.ConcernViewSet, basename="concern")
router.register("consultations", consultation_views.ConsultationViewSet, basename="consultation")
router.register("comments", consultation_views.CommentViewSet, basename="comment")
router.register("drafts", draft_views.DraftViewSet, basename="draft")

urlpatterns = [
    path(
        "meetings/<int:pk>/ics/",
        relationship_views.MeetingCalendarView.as_view(),
        name="meeting-ics",
    ),
    path("calendar/feed/", relationship_views.MyCalendarFeedView.as_view(), name="calendar-feed"),
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$",
        relationship_views.PersonalFeedView.as_view(),
        name="calendar-feed-ics",
    ),
    path(
        "relationships/",
        relationship_views.RelationshipListView.as_view(),
        name="relationship-list",
    ),
    path(
        "programmes/<int:pk>/equal-treatment/",
        relationship_views.ProgrammeEqualTreatmentView.as_view(),
        name="programme-equal-treatment",
    ),
    path(
        "arenas/<int:pk>/equal-treatment/",
        relationship_views.ArenaEqualTreatmentView.as_view(),
        name="arena-equal-treatment",
    ),
    path(
        "consultations/<int:consultation_pk>/comments/",
        consultation_views.ConsultationCommentViewSet.as_view({"get": "list", "post": "create"}),
        name="consultation-comment-list",
    ),
    path(
        "consultations/<int:consultation_pk>/drafts/",
        draft_views.ConsultationDraftViewSet.as_view({"get": "list", "post": "create"}),
        name="consultation-draft-list",
    ),
    path(
        "comments/<int:pk>/response/",
        response_views.CommentResponseView.as_view(),
        name="comment-response",
    ),
    path(
        "consultations/<int:pk>/summary/",
        response_views.ConsultationSummaryView.as_view(),
        name="consultation-summary",
    ),
    path(
        "consultations/<int:pk>/you-said-we-did/",
        response_views.YouSaidWeDidView.as_view(),
        name="consultation-you-said-we-did",
    ),
    path(
        "consultations/<int:pk>/comments.csv",
        response_views.CommentCSVView.as_view(),
        name="consultation-comments-csv",
    ),
    *router.urls,
]
