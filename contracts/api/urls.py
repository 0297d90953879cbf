"""The contracts app's API routes: contracts and obligations, rulebooks and clauses.

Rulebooks, their versions and clauses:

/rulebooks/                                  list, create (one per programme)
/rulebooks/{id}/                             read, change the title
/rulebooks/{id}/versions/                    list; POST makes the next version (a copy)
/rulebook-versions/{id}/                     read with clauses; PATCH the summary (drafts)
(a version goes into and out of consultation with its consultation: /consultations/{id}/open/
and /close/, never directly, so that the window cannot be bypassed)
/rulebook-versions/{id}/adopt/               consultation closed -> adopted (managers)
/rulebook-versions/{id}/diff/?against={id}   what changed from version `against` to this
/rulebook-versions/{id}/clauses/             list; POST adds a clause (drafts)
/rulebook-versions/{id}/clauses/reorder/     POST the clause ids in their new order
/clauses/{id}/                               read, PATCH, DELETE (drafts)
/rulebooks/{id}/import/preview/              POST a .docx, .odt or .md file: its clauses (no save)
/rulebooks/{id}/import/                      POST the file again: saved as the next version
/rulebook-versions/{id}/docx/                the version as .docx
/rulebook-versions/{id}/redline/?against=    tracked changes from `against` (default: the one
                                             before) to this version, as .docx

/programmes/{id}/ocds/                       the programme as an OCDS release package
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from contracts.api import rulebook_file_views as files
from contracts.api import rulebook_views, views

router = SimpleRouter()
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("rulebooks", rulebook_views.RulebookViewSet, basename="rulebook")
router.register(
    "rulebook-versions", rulebook_views.RulebookVersionViewSet, basename="rulebook-version"
)
router.register("clauses", rulebook_views.ClauseViewSet, basename="clause")

urlpatterns = [
    path(
        "rulebooks/<int:rulebook_pk>/versions/",
        rulebook_views.RulebookVersionListViewSet.as_view({"get": "list", "post": "create"}),
        name="rulebook-version-list",
    ),
    path(
        "rulebook-versions/<int:version_pk>/clauses/",
        rulebook_views.ClauseListViewSet.as_view({"get": "list", "post": "create"}),
        name="clause-list",
    ),
    path("rulebooks/<int:pk>/import/", files.RulebookImportView.as_view(), name="rulebook-import"),
    path(
        "rulebooks/<int:pk>/import/preview/",
        files.RulebookImportPreviewView.as_view(),
        name="rulebook-import-preview",
    ),
    path(
        "rulebook-versions/<int:pk>/docx/",
        files.RulebookVersionDocxView.as_view(),
        name="rulebook-version-docx",
    ),
    path(
        "rulebook-versions/<int:pk>/redline/",
        files.RulebookVersionRedlineView.as_view(),
        name="rulebook-version-redline",
    ),
    path("programmes/<int:pk>/ocds/", views.ProgrammeOcdsView.as_view(), name="programme-ocds"),
    *router.urls,
]
