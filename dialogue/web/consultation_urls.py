"""The provider representative's consultation pages (issue 8).

consultations/                                        the consultations the person sees
consultations/<id>/                                   clause by clause, countdown, comment form
consultations/<id>/countdown/                         the countdown now (JSON, for the script)
consultations/<id>/comments/                          POST: a new comment
consultations/<id>/preview/                           POST: the Markdown rendered (htmx)
consultations/<id>/pulse/                             the person's trust pulse about it
consultations/<id>/comments/<comment_id>/             one comment, its history and response
consultations/<id>/comments/<comment_id>/edit/        POST: a new revision
consultations/<id>/comments/<comment_id>/withdraw/    POST
consultations/<id>/comments/<comment_id>/cosign/      POST: a member signs its network's comment
consultations/<id>/comments/<comment_id>/uncosign/    POST

"consultation-pages" is also the name of the API's list route; the navigation reverses it, and
Django gives the pattern included last, this one.
"""

from django.urls import path

from dialogue.web import consultation_comments as comments
from dialogue.web import consultations as views

COMMENT = "consultations/<int:consultation_id>/comments/<int:comment_id>/"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation-pages"),
    path("consultations/<int:consultation_id>/", views.consultation_page, name="consultation-page"),
    path(
        "consultations/<int:consultation_id>/countdown/",
        views.consultation_countdown,
        name="consultation-countdown",
    ),
    path(
        "consultations/<int:consultation_id>/comments/",
        views.post_comment,
        name="consultation-comment-post",
    ),
    path(
        "consultations/<int:consultation_id>/preview/",
        views.preview,
        name="consultation-comment-preview",
    ),
    path(
        "consultations/<int:consultation_id>/pulse/",
        comments.consultation_pulse,
        name="consultation-pulse",
    ),
    path(COMMENT, comments.comment_page, name="consultation-comment-page"),
    path(f"{COMMENT}edit/", comments.edit_comment, name="consultation-comment-edit"),
    path(f"{COMMENT}withdraw/", comments.withdraw_comment, name="consultation-comment-withdraw"),
    path(f"{COMMENT}cosign/", comments.cosign_comment, name="consultation-comment-cosign"),
    path(f"{COMMENT}uncosign/", comments.uncosign_comment, name="consultation-comment-uncosign"),
]
