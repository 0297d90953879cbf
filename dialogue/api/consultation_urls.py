"""Consultations and comments:

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
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from dialogue.api import consultation_views as views

router = SimpleRouter()
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("comments", views.CommentViewSet, basename="comment")

urlpatterns = [
    path(
        "consultations/<int:consultation_pk>/comments/",
        views.ConsultationCommentViewSet.as_view({"get": "list", "post": "create"}),
        name="consultation-comment-list",
    ),
    *router.urls,
]
