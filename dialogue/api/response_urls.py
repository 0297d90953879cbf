"""Routes of responses, the consultation summary, "you said, we did" and the CSV export.

/comments/{id}/response/                  GET; PUT writes or replaces it (purchaser staff)
/consultations/{id}/summary/              figures over the comments you can see
/consultations/{id}/you-said-we-did/      clause by clause: comments, responses, changes
/consultations/{id}/comments.csv          the comments and responses as CSV

Included after dialogue.api.consultation_urls: these explicit paths are more specific than
that module's router routes, and none of them is a route of its viewsets.
"""

from django.urls import path

from dialogue.api import response_views as views

urlpatterns = [
    path(
        "comments/<int:pk>/response/",
        views.CommentResponseView.as_view(),
        name="comment-response",
    ),
    path(
        "consultations/<int:pk>/summary/",
        views.ConsultationSummaryView.as_view(),
        name="consultation-summary",
    ),
    path(
        "consultations/<int:pk>/you-said-we-did/",
        views.YouSaidWeDidView.as_view(),
        name="consultation-you-said-we-did",
    ),
    path(
        "consultations/<int:pk>/comments.csv",
        views.CommentCSVView.as_view(),
        name="consultation-comments-csv",
    ),
]
