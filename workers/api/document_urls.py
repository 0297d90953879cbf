"""PDF documents:

/programmes/{id}/documents/       POST: order a briefing (202, job resource)
/meetings/{id}/documents/         POST: order a meeting summary
/consultations/{id}/documents/    POST: order a consultation report (you said, we did)
/contracts/{id}/documents/        POST: order a contract summary
/documents/                       list (?kind, ?status, ?language)
/documents/{id}/                  read: poll status and progress
/documents/{id}/download/         the PDF once done (409 before)
"""

from django.urls import path

from workers.api import document_views as views

urlpatterns = [
    path(
        "programmes/<int:pk>/documents/",
        views.OrderBriefingView.as_view(),
        name="programme-documents",
    ),
    path(
        "meetings/<int:pk>/documents/",
        views.OrderMeetingSummaryView.as_view(),
        name="meeting-documents",
    ),
    path(
        "consultations/<int:pk>/documents/",
        views.OrderConsultationReportView.as_view(),
        name="consultation-documents",
    ),
    path(
        "contracts/<int:pk>/documents/",
        views.OrderContractSummaryView.as_view(),
        name="contract-documents",
    ),
    path("documents/", views.DocumentListView.as_view(), name="document-list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        "documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
]
