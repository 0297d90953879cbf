"""Rendering ordered documents: data → HTML (Django templates, in the document's language)
→ PDF (workers.documents.pdf) → a file in the media storage (settings.STORAGES: the disk or
an object store) with its checksum, size and page count.

Exactly once, whatever the broker does. The task is acks_late and rejected when its worker
is lost, so a render interrupted by a killed worker is delivered again; the row decides what
happens then:
- a document already done: the task does nothing (a re-delivered message);
- queued or running (left running by a killed worker): it is rendered (again);
- two deliveries rendering at once: the first to finish, under a row lock, stores the file;
  the other finds the row done and drops its own bytes.
The file name is fixed per document, so a render killed after writing the file but before
marking the row done overwrites that same file when it runs again: one document, one file.
"""

import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from workers import charts
from workers.documents.content import build_data
from workers.models import Document
from workers.templatetags import document_format

logger = logging.getLogger(__name__)

__all__ = ["render_document"]

Kind = Document.Kind
TEMPLATES = {
    Kind.MEETING_SUMMARY: "workers/pdf/meeting_summary.html",
    Kind.CONSULTATION_REPORT: "workers/pdf/consultation_report.html",
    Kind.CONTRACT_SUMMARY: "workers/pdf/contract_summary.html",
    Kind.BRIEFING: "workers/pdf/briefing.html",
    Kind.RULEBOOK_VERSION: "workers/pdf/rulebook_version.html",
    Kind.RULEBOOK_REDLINE: "workers/pdf/rulebook_redline.html",
}

KIND_TITLES = {
    Kind.MEETING_SUMMARY: gettext_lazy("Meeting summary"),
    Kind.CONSULTATION_REPORT: gettext_lazy("Consultation report: you said, we did"),
    Kind.CONTRACT_SUMMARY: gettext_lazy("Contract summary"),
    Kind.BRIEFING: gettext_lazy("Briefing for politicians"),
    Kind.RULEBOOK_VERSION: gettext_lazy("Rulebook"),
    Kind.RULEBOOK_REDLINE: gettext_lazy("Rulebook: changes between versions"),
}


# A document of this many pages or more gets a cover and a table of contents; a shorter one
# opens with its title and goes straight to its content (a one-page meeting summary is one
# or two pages, not four).
FRONT_MATTER_FROM_PAGES = 5


def _in_words(labels: list[str], values: list, formatter) -> str:
    """Each quarter and its figure, for the chart's text alternative."""
    no_figure = _("no figure")
    return "; ".join(
        f"{label}: {no_figure if value is None else formatter(value)}"
        for label, value in zip(labels, values, strict=True)
    )


def _share_chart(trend: list[dict]) -> str:
    title = _("Dialogue share per quarter")
    labels = [q["label"] for q in trend]
    shares = [q["share"] for q in trend]
    description = _(
        "%(title)s. %(figures)s. A dashed line marks one third, the share below which a "
        "meeting is information-heavy."
    ) % {"title": title, "figures": _in_words(labels, shares, document_format.fpercent)}
    return charts.line_chart(
        title=title,
        labels=labels,
        series={_("Dialogue share"): shares},
        range_=(0, 1),
        formatter=lambda share: document_format.fpercent(share),
        description=description,
        threshold=charts.ONE_THIRD,
    )


def _trust_chart(labels: list[str], values: dict[str, list]) -> str:
    title = _("Trust per quarter (1–5)")
    lines = [
        f"{statement} {_in_words(labels, means, document_format.fmean)}"
        for statement, means in values.items()
    ]
    description = ". ".join([title, *lines])
    return charts.line_chart(
        title=title, labels=labels, series=values, range_=(1, 5), description=description
    )


def _charts(document: Document, data: dict) -> dict:
    """The briefing's charts as inline SVG, each with its figures in words (the PDF's Alt
    text for a screen reader)."""
    if document.kind != Document.Kind.BRIEFING:
        return {}
    found = {}
    trend = data.get("dialogue_share_trend") or []
    if trend:
        found["dialogue_share"] = _share_chart(trend)
    series = charts.trust_series(data.get("trust_trend"))
    if series:
        found["trust"] = _trust_chart(*series)
    return found


SECTIONS = {
    Document.Kind.MEETING_SUMMARY: [
        ("agenda", gettext_lazy("Agenda by type")),
        ("share", gettext_lazy("Dialogue share")),
        ("attendance", gettext_lazy("Attendance")),
        ("decisions", gettext_lazy("Decisions")),
        ("actions", gettext_lazy("Actions")),
    ],
    Document.Kind.CONSULTATION_REPORT: [
        ("totals", gettext_lazy("Totals")),
        ("clauses", gettext_lazy("You said, we did")),
    ],
    Document.Kind.CONTRACT_SUMMARY: [
        ("parties", gettext_lazy("Parties")),
        ("history", gettext_lazy("Status history")),
        ("versions", gettext_lazy("Versions and amendments")),
        ("obligations", gettext_lazy("Obligations")),
        ("milestones", gettext_lazy("Milestones")),
    ],
    Document.Kind.BRIEFING: [
        ("status", gettext_lazy("Status and decisions ahead")),
        ("milestones", gettext_lazy("Milestones")),
        ("trends", gettext_lazy("Dialogue share and trust")),
        ("equal", gettext_lazy("Equal treatment")),
        ("said", gettext_lazy("What providers said and what was done")),
    ],
    # Then each top-level clause ("4 Staffing"): _clause_sections.
    Document.Kind.RULEBOOK_VERSION: [("about", gettext_lazy("About this version"))],
    Document.Kind.RULEBOOK_REDLINE: [("legend", gettext_lazy("How the changes are shown"))],
}


def _subject_name(kind: str, data: dict) -> str:
    """What the document is about, for its title (the PDF's Title, shown by readers)."""
    return {
        Kind.MEETING_SUMMARY: lambda: data["meeting"]["title"],
        Kind.CONSULTATION_REPORT: lambda: data["summary"]["consultation"]["title"],
        Kind.CONTRACT_SUMMARY: lambda: data["contract"]["title"],
        Kind.BRIEFING: lambda: data["programme"]["name"],
        Kind.RULEBOOK_VERSION: lambda: (
            _("%(title)s, version %(number)s")
            % {"title": data["rulebook"]["title"], "number": data["version"]["number"]}
        ),
        Kind.RULEBOOK_REDLINE: lambda: (
            _("%(title)s, version %(old)s to version %(new)s")
            % {
                "title": data["rulebook"]["title"],
                "old": data["old"]["number"],
                "new": data["new"]["number"],
            }
        ),
    }[kind]()


def _clause_sections(document: Document, data: dict, pages: dict) -> list[tuple]:
    """A rulebook's top-level clauses, for its contents: "4 Staffing" and its page."""
    if document.kind not in (Kind.RULEBOOK_VERSION, Kind.RULEBOOK_REDLINE):
        return []
    return [
        (clause["anchor"], clause["title"], pages.get(clause["anchor"]))
        for clause in data["clauses"]
        if clause["level"] == 1
    ]


def render_html(document: Document, data: dict, *, front_matter: dict | None = None) -> str:
    """The HTML of a document from its data, in its language; or, given `front_matter` (the
    page of each section in the document), the HTML of its cover and table of contents."""
    pages = front_matter or {}
    with override(document.language):
        sections = [
            (anchor, str(heading), pages.get(anchor)) for anchor, heading in SECTIONS[document.kind]
        ]
        if document.kind == Document.Kind.MEETING_SUMMARY and data.get("minutes_html"):
            sections.append(("minutes", _("Minutes"), pages.get("minutes")))
        sections += _clause_sections(document, data, pages)
        return render_to_string(
            TEMPLATES[document.kind],
            {
                "data": data,
                "charts": _charts(document, data),
                "title": str(KIND_TITLES[document.kind]),
                "subject": _subject_name(document.kind, data),
                "front_matter": front_matter is not None,
                "language": document.language,
                "sections": sections,
                "made_on": timezone.localdate(),
            },
        )


def _subject(document: Document):
    return document.subject_type.get_object_for_this_type(pk=document.subject_id)


def build_data_of(document: Document) -> dict:
    """The data of an ordered document, built afresh as the person who ordered it sees it."""
    if document.requested_by is None:
        raise LookupError("the person who ordered the document no longer exists")
    return build_data(
        kind=document.kind,
        subject=_subject(document),
        language=document.language,
        person=document.requested_by,
        compared_with=document.compared_with,
    )


def write(document: Document, data: dict, pdf_writer) -> tuple[bytes, int]:
    """The PDF and its page count; a cover and contents before the document when it is long
    enough to need them (FRONT_MATTER_FROM_PAGES), listing the page of each section."""

    def front_matter(pages: int, anchor_pages: dict[str, int]) -> str | None:
        if pages < FRONT_MATTER_FROM_PAGES:
            return None
        return render_html(document, data, front_matter=anchor_pages)

    return pdf_writer.write_pdf(render_html(document, data), front_matter=front_matter)


def _set_progress(document_id: int, progress: int) -> None:
    Document.objects.filter(pk=document_id, status=Document.Status.RUNNING).update(
        progress=progress
    )


def file_name(document: Document) -> str:
    return f"documents/{document.id}/{document.kind}-{document.language}.pdf"


def render_now(document_id: int) -> None:
    """The render itself, outside Celery: the task and the benchmark both call it."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in (Document.Status.DONE, Document.Status.FAILED):
            # Done: a re-delivered message. Failed: ordering again re-queues it.
            return
        document.status = Document.Status.RUNNING
        document.progress = 10
        document.started_at = timezone.now()
        document.save(update_fields=["status", "progress", "started_at"])
    # Imported here: only the process that renders loads WeasyPrint (workers.documents.pdf).
    from workers.documents import pdf as pdf_writer

    try:
        data = build_data_of(document)
        _set_progress(document_id, 50)
        pdf, pages = write(document, data, pdf_writer)
        _set_progress(document_id, 90)
    except Exception as error:
        logger.exception("Rendering document %s failed", document_id)
        Document.objects.filter(pk=document_id).exclude(status=Document.Status.DONE).update(
            status=Document.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status == Document.Status.DONE:
            return  # another delivery of the same task finished first
        name = file_name(document)
        # The name is fixed per document: a render killed after writing the file left this
        # very file behind, and it is replaced, not joined by a second one.
        storage = document.file.storage  # settings.STORAGES: the disk or the object store
        if storage.exists(name):
            storage.delete(name)
        document.file.name = storage.save(name, ContentFile(pdf))
        document.checksum = hashlib.sha256(pdf).hexdigest()
        document.size = len(pdf)
        document.pages = pages
        document.status = Document.Status.DONE
        document.progress = 100
        document.error = ""
        document.finished_at = timezone.now()
        document.save()


@shared_task(name="workers.document_tasks.render_document", acks_late=True)
def render_document(document_id: int) -> None:
    render_now(document_id)
