"""A rulebook version as a tagged PDF, and the PDF redline between two versions (issue 20):
made by the worker as every PDF is, from the comparison the .docx redline reads; inserted and
deleted words marked so they survive printing without colour, each changed clause named in
words, a clause per bookmark; ordered through the API by the purchaser's staff only, with the
other version in `against`, and on the rulebook's files page."""

import re
import shutil

import pytest
from django.test import Client
from django.utils.translation import gettext, override
from pypdf import PdfReader

from contracts.models import RulebookVersion
from tests.contracts import rulebook_documents
from tests.contracts.rulebook_factories import ClauseFactory, rulebook_with_version
from tests.factories import ProgrammeFactory
from tests.workers.pdf_text import pdf_pages, pdf_text
from workers.documents import render
from workers.documents.orders import order_document
from workers.models import Document

Kind = Document.Kind
Status = RulebookVersion.Status

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def versions(world, settings, tmp_path):
    """Version 2 keeps clause 1, moves and rewords clause 2 (now 3), drops 3 and adds 4."""
    settings.MEDIA_ROOT = tmp_path
    v1 = rulebook_with_version(
        world.programme_a,
        status=Status.CONSULTATION_CLOSED,
        clauses=[
            ("1", "Scope", "Home care in the whole region.\n\n# Areas\n\nAll twelve."),
            ("2", "Reporting", "The provider reports waiting times every month."),
            ("3", "Fees", "Set by the region."),
        ],
    )
    v2 = RulebookVersion.objects.create(
        rulebook=v1.rulebook, number=2, status=Status.DRAFT, based_on=v1
    )
    old = {c.key: c for c in v1.clauses.all()}
    ClauseFactory(
        version=v2, key="1", heading="Scope", text=old["1"].text, lineage=old["1"].lineage,
        position=1,
    )  # fmt: skip
    ClauseFactory(
        version=v2, key="3", heading="Reporting", position=2, lineage=old["2"].lineage,
        text="The provider reports waiting times every quarter.",
    )  # fmt: skip
    ClauseFactory(version=v2, key="4", heading="Notice", text="Three months.", position=3)
    return v1, v2


def _order(world, capture, kind, subject, language, compared_with=None) -> Document:
    with capture(execute=True):
        document, _created = order_document(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            kind=kind,
            subject=subject,
            language=language,
            compared_with=compared_with,
        )
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    return document


def _bookmarks(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles.extend(_bookmarks(entry) if isinstance(entry, list) else [entry.title])
    return titles


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_the_redline_pdf_marks_inserted_deleted_and_moved_clauses_in_words(
    world, versions, django_capture_on_commit_callbacks, language
):
    v1, v2 = versions
    document = _order(
        world, django_capture_on_commit_callbacks, Kind.RULEBOOK_REDLINE, v2, language, v1
    )
    text = pdf_text(document.file.path)
    with override(language):
        added, removed = gettext("New clause."), gettext("Clause removed.")
        moved = gettext("Moved: this was clause %(old)s.") % {"old": "2"}
        reworded = gettext("Wording changed.")
        underlined = gettext("Inserted words are underlined.")
        struck = gettext("Deleted words are struck through.")
    assert f"4 Notice {added} Three months." in text  # inserted
    assert f"3 Fees {removed} Set by the region." in text  # deleted, where it stood
    # Renumbered 2 → 3: the old number struck, the new one underlined, named by its old key.
    assert f"2 3 Reporting {moved} {reworded}" in text
    assert "waiting times every month. quarter." in text  # the old word, then the new
    assert underlined in text
    assert struck in text
    # Marked so that it survives without colour: underlined and struck through, the number
    # of a renumbered clause as well.
    html = render.render_html(document, render.build_data_of(document))
    assert "<ins>quarter.</ins>" in html
    assert "<del>month.</del>" in html
    assert re.search(r"<h2[^>]*><del>2</del> <ins>3</ins> Reporting</h2>", html)
    assert "<del>Set by the region.</del>" in html
    assert "<ins>Three months.</ins>" in html
    assert "del { color: #a00; text-decoration: line-through; }" in html
    assert "ins { color: #060; text-decoration: underline; }" in html
    # Each clause is a bookmark; the heading typed in a clause's text is not.
    bookmarks = _bookmarks(PdfReader(document.file.path).outline)
    assert bookmarks[2:] == ["1 Scope", "3 Reporting", "3 Fees", "4 Notice"], bookmarks
    assert "Areas" not in bookmarks
    assert "<h3>Areas</h3>" in html  # under the clause's h2


def test_the_version_pdf_has_each_clause_and_a_bookmark_per_clause_heading(
    world, versions, django_capture_on_commit_callbacks
):
    _v1, v2 = versions
    document = _order(world, django_capture_on_commit_callbacks, Kind.RULEBOOK_VERSION, v2, "nb")
    text = pdf_text(document.file.path)
    assert "Regelbok" in text
    assert "1 Scope Home care in the whole region." in text
    assert "3 Reporting The provider reports waiting times every quarter." in text
    with override("nb"):
        # version, status in words, not adopted, based on, clauses
        assert f"2 {Status.DRAFT.label} – 1 3" in text
    assert "draft" not in text
    bookmarks = _bookmarks(PdfReader(document.file.path).outline)
    assert bookmarks[:2] == ["Regelbok", "Om denne versjonen"]
    assert bookmarks[2:] == ["1 Scope", "3 Reporting", "4 Notice"], bookmarks


def test_a_long_rulebook_has_a_cover_and_its_chapters_in_the_contents(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    version = rulebook_with_version(
        world.programme_a,
        clauses=[
            (key, heading, "\n\n".join(str(b[1]) for b in blocks if b[0] == "p"))
            for key, heading, blocks in rulebook_documents.first_edition()
        ],
    )
    document = _order(
        world, django_capture_on_commit_callbacks, Kind.RULEBOOK_VERSION, version, "sv"
    )
    assert document.pages > render.FRONT_MATTER_FROM_PAGES
    pages = pdf_pages(document.file.path)
    cover, contents, *body = (" ".join(page.split()) for page in pages[: document.pages])
    assert "Regelbok" in cover
    assert "Innehåll" in contents
    chapter = f"12 Chapter 12: {rulebook_documents.THINGS[11]}"
    listed = re.search(re.escape(chapter) + r"[ .]*(\d+)", contents)
    assert listed is not None, contents
    starts = next(page for page in body if chapter in page)
    assert f"Sida {listed.group(1)} / {len(body)}" in starts
    bookmarks = _bookmarks(PdfReader(document.file.path).outline)
    assert "2.2 Rule on " + rulebook_documents.THINGS[4] in bookmarks
    assert "2.3" not in bookmarks  # a numbered paragraph without heading is no bookmark


def _post(client, world, version, body, language="en"):
    return client.post(
        f"/api/v1/rulebook-versions/{version.pk}/documents/",
        body,
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_api_orders_a_redline_against_another_version_and_downloads_it(
    client_for, world, versions, django_capture_on_commit_callbacks
):
    v1, v2 = versions
    officer = client_for("officer_a")
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(officer, world, v2, {"kind": "rulebook_redline", "language": "sv"})
    assert answer.status_code == 202, answer.json()
    body = answer.json()
    assert (body["kind"], body["compared_with"], body["subject_id"]) == (
        "rulebook_redline",
        v1.pk,
        str(v2.pk),
    )
    again = _post(
        officer, world, v2, {"kind": "rulebook_redline", "against": v1.pk, "language": "sv"}
    )
    assert again.json()["id"] == body["id"]  # the same inputs: the same document
    version_pdf = _post(officer, world, v2, {"language": "sv"})
    assert version_pdf.json()["kind"] == "rulebook_version"
    assert version_pdf.json()["compared_with"] is None

    for reader in ("officer_a", "manager_a", "politician_a"):
        download = client_for(reader).get(f"/api/v1/documents/{body['id']}/download/")
        assert download.status_code == 200, reader
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert f"rulebook_redline-{v2.pk}-against-{v1.pk}-sv.pdf" in download["Content-Disposition"]
    # The purchaser's documents are read by its staff and politicians (the provider reads
    # the version and its .docx redline, not the purchaser's PDFs).
    assert client_for("provider_in_a").get(f"/api/v1/documents/{body['id']}/").status_code == 404


def test_the_api_refuses_what_does_not_fit_in_the_persons_language(client_for, world, versions):
    v1, v2 = versions
    elsewhere = rulebook_with_version(world.programme_b)
    officer = client_for("officer_a")
    wrong = _post(officer, world, v2, {"kind": "rulebook_redline", "against": elsewhere.pk})
    assert wrong.status_code == 400
    assert "against" in wrong.json()["error"]["fields"]  # named as a missing id would be
    other_rulebook = rulebook_with_version(ProgrammeFactory(purchaser=world.purchaser_a))
    swedish = _post(
        officer, world, v2, {"kind": "rulebook_redline", "against": other_rulebook.pk}, "sv"
    )
    assert swedish.status_code == 400
    assert swedish.json()["error"]["fields"]["against"] == ["Id för en version av samma regelbok."]
    not_a_redline = _post(officer, world, v2, {"kind": "rulebook_version", "against": v1.pk})
    assert not_a_redline.status_code == 400
    assert "against" in not_a_redline.json()["error"]["fields"]
    briefing = _post(officer, world, v2, {"kind": "briefing"})
    assert briefing.status_code == 400
    assert briefing.json()["error"]["code"] == "invalid"
    assert _post(client_for("provider_in_a"), world, v2, {}).status_code == 403
    outsider = client_for("manager_b").post(
        f"/api/v1/rulebook-versions/{v2.pk}/documents/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_b.id),
    )
    assert outsider.status_code == 404
    assert not Document.objects.exists()


def _page_client(world, actor, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.people[actor])
    return client


def test_a_manager_orders_and_downloads_the_pdf_redline_on_the_files_page(
    world, versions, django_capture_on_commit_callbacks
):
    v1, v2 = versions
    manager = _page_client(world, "manager_a", "sv")
    files = f"/rulebooks/{v2.rulebook_id}/files/"
    page = manager.get(files).content.decode()
    assert "Beställ versionen som PDF" in page
    assert "Beställ PDF med ändringsmarkeringar" in page
    assert f'<option value="{v1.pk}" selected>Version 1</option>' in page  # based on

    with django_capture_on_commit_callbacks(execute=True):
        ordered = manager.post(
            f"/rulebook-versions/{v2.pk}/pdf/", {"kind": "rulebook_redline", "against": v1.pk}
        )
    assert ordered.status_code == 302
    assert ordered["Location"] == f"{files}#pdf-{v2.pk}"
    document = Document.objects.get()
    assert (document.kind, document.language, document.compared_with) == (
        "rulebook_redline",
        "sv",
        v1,
    )
    page = manager.get(files).content.decode()
    assert "Ladda ner: PDF med ändringar mot version 1" in page
    download = manager.get(f"/api/v1/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    status = manager.get(f"/rulebook-versions/{v2.pk}/pdf/{document.pk}/", HTTP_HX_REQUEST="true")
    assert status.status_code == 200
    assert f"/api/v1/documents/{document.pk}/download/" in status.content.decode()
    # The progress of a document of another version is not this version's to show.
    assert manager.get(f"/rulebook-versions/{v1.pk}/pdf/{document.pk}/").status_code == 404

    # A provider reads the version but orders nothing and sees no purchaser PDF.
    provider = _page_client(world, "provider_in_a")
    assert "Order PDF" not in provider.get(files).content.decode()
    refused = provider.post(f"/rulebook-versions/{v2.pk}/pdf/", {"kind": "rulebook_version"})
    assert refused.status_code == 403
    outsider = _page_client(world, "manager_b")
    assert outsider.post(f"/rulebook-versions/{v2.pk}/pdf/", {}).status_code == 404
