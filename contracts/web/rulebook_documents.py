"""A rulebook version's PDFs, on the rulebook's files page: the version itself, and the
redline between it and another version. Ordered here by the purchaser's staff as every PDF is
ordered (workers.documents.orders: rendered once per inputs by a worker, stored in the
configured storage), polled until done, and downloaded from the documents' download address.
Everyone who may read the purchaser's documents (policies.visible_documents) sees the made
ones listed; the page is in the person's language, and so is what it orders."""

from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.errors import NotFound, RuleViolation
from commissioning.web.acting import page
from contracts.models import RulebookVersion
from contracts.selectors import rulebooks as selectors
from workers.documents import content, orders
from workers.models import Document
from workers.selectors import documents as document_selectors

Kind = Document.Kind
KINDS = (Kind.RULEBOOK_VERSION, Kind.RULEBOOK_REDLINE)


def latest_documents(*, person, versions) -> dict[int, list[Document]]:
    """For each version (by id), the newest PDF of each kind the person may read: the
    version's, and one redline per version it was compared with."""
    found: dict[int, list[Document]] = {version.pk: [] for version in versions}
    seen = set()
    made = document_selectors.document_list(person=person).filter(
        kind__in=KINDS,
        subject_type=ContentType.objects.get_for_model(RulebookVersion),
        subject_id__in=[str(pk) for pk in found],
    )
    for document in made.select_related("compared_with"):
        version_id = int(document.subject_id)
        mark = (version_id, document.kind, document.compared_with_id)
        if mark not in seen:
            seen.add(mark)
            found[version_id].append(document)
    for documents in found.values():
        documents.sort(key=lambda d: (d.kind != Kind.RULEBOOK_VERSION, d.compared_with_id or 0))
    return found


def _against(data: QueryDict):
    against = data.get("against", "")
    return against if against.strip() else None


def _status(request, version, document):
    return render(
        request,
        "contracts/web/rulebook_pdf_status.html",
        {"version": version, "document": document},
    )


@require_POST
@page
def rulebook_pdf_order(request, version_id):
    kind = request.POST.get("kind", Kind.RULEBOOK_VERSION)
    if kind not in KINDS:
        raise RuleViolation(
            _("Choose the PDF of the version or the PDF redline against another version."),
            code="document_kind_mismatch",
        )
    version = document_selectors.subject_for_order(
        person=request.user, kind=kind, subject_id=version_id
    )
    compared_with = None
    if kind == Kind.RULEBOOK_REDLINE:
        compared_with = document_selectors.comparison_for_order(
            version=version, against=_against(request.POST)
        )
    document, _created = orders.order_document(
        actor=request.user,
        acting_for=request.acting_for,
        kind=kind,
        subject=version,
        language=content.reader_language(version),
        compared_with=compared_with,
    )
    if request.htmx:
        document = document_selectors.document_get(person=request.user, document_id=document.pk)
        return _status(request, version, document)
    return redirect(reverse("rulebook-files", args=[version.rulebook_id]) + f"#pdf-{version.pk}")


@page
def rulebook_pdf_status(request, version_id, document_id):
    """The progress of an ordered PDF: polled every 2 s by the files page until the download
    link appears."""
    version = selectors.version_get(person=request.user, version_id=version_id)
    document = document_selectors.document_get(person=request.user, document_id=document_id)
    if document.kind not in KINDS or document.subject_id != str(version.pk):
        raise NotFound()
    return _status(request, version, document)
