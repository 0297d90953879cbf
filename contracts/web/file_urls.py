"""The pages of a rulebook's files (contracts/web/rulebook_files.py):

rulebooks/<id>/files/                      import form, preview (POST), downloads
rulebooks/<id>/files/save/                 POST: the previewed clauses saved as the next version
rulebook-versions/<id>/download.docx       the version as .docx
rulebook-versions/<id>/redline.docx        tracked changes from ?against= (default: the version
                                           before) to this one, as .docx
rulebook-versions/<id>/pdf/                POST: order the version's PDF, or (kind=
                                           rulebook_redline, against=<id>) its PDF redline
rulebook-versions/<id>/pdf/<document id>/  an ordered PDF's progress, polled until its
                                           download link appears
"""

from django.urls import path

from contracts.web import rulebook_documents, rulebook_files

urlpatterns = [
    path(
        "rulebooks/<int:rulebook_id>/files/", rulebook_files.rulebook_files, name="rulebook-files"
    ),
    path(
        "rulebooks/<int:rulebook_id>/files/save/",
        rulebook_files.rulebook_import_save,
        name="rulebook-import-save",
    ),
    path(
        "rulebook-versions/<int:version_id>/download.docx",
        rulebook_files.version_download,
        name="rulebook-version-download",
    ),
    path(
        "rulebook-versions/<int:version_id>/redline.docx",
        rulebook_files.version_redline,
        name="rulebook-version-redline-download",
    ),
    path(
        "rulebook-versions/<int:version_id>/pdf/",
        rulebook_documents.rulebook_pdf_order,
        name="rulebook-pdf-order",
    ),
    path(
        "rulebook-versions/<int:version_id>/pdf/<int:document_id>/",
        rulebook_documents.rulebook_pdf_status,
        name="rulebook-pdf-status",
    ),
]
