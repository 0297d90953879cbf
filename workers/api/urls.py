"""The jobs' API routes: PDF documents and trust results.

PDF documents:

/programmes/{id}/documents/       POST: order a briefing (202, job resource)
/meetings/{id}/documents/         POST: order a meeting summary
/consultations/{id}/documents/    POST: order a consultation report (you said, we did)
/contracts/{id}/documents/        POST: order a contract summary
/rulebook-versions/{id}/documents/ POST: order the version as a PDF, or its redline (against)
/documents/                       list (?kind, ?status, ?language)
/documents/{id}/                  read: poll status and progress
/documents/{id}/download/         the PDF once done (409 before)
/trust/results/                   anonymous trust results (?programme, ?arena, ?purchaser&provider)
"""

from django.urls import path

from workers.api import document_views
from workers.api.pulse_views import TrustResultsView

urlpatterns = [
    path(
        "programmes/<int:pk>/documents/",
        document_views.OrderBriefingView.as_view(),
        name="programme-documents",
    ),
    path(
        "meetings/<int:pk>/documents/",
        document_views.OrderMeetingSummaryView.as_view(),
        name="meeting-documents",
    ),
    path(
        "consultations/<int:pk>/documents/",
        document_views.OrderConsultationReportView.as_view(),
        name="consultation-documents",
    ),
    path(
        "contracts/<int:pk>/documents/",
        document_views.OrderContractSummaryView.as_view(),
        name="contract-documents",
    ),
    path(
        "rulebook-versions/<int:pk>/documents/",
        document_views.OrderRulebookDocumentView.as_view(),
        name="rulebook-version-documents",
    ),
    path("documents/", document_views.DocumentListView.as_view(), name="document-list"),
    path(
        "documents/<int:pk>/", document_views.DocumentDetailView.as_view(), name="document-detail"
    ),
    path(
        "documents/<int:pk>/download/",
        document_views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("trust/results/", TrustResultsView.as_view(), name="trust-results"),
]
