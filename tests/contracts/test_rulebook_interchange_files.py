"""The redline between two rulebook versions as .docx with Word's tracked changes, the
Markdown reader, and the refusals of an import: each a 4xx saying what to fix, in the
person's language, with nothing saved."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import Event
from contracts.models import RulebookVersion
from tests.contracts.rulebook_factories import ClauseFactory, RulebookFactory, rulebook_with_version

Status = RulebookVersion.Status
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _post(client, world, rulebook, name, content, *, language="en", preview=False):
    address = f"/api/v1/rulebooks/{rulebook.pk}/import/" + ("preview/" if preview else "")
    return client.post(
        address,
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _tracked(content: bytes, tag: str) -> list[str]:
    body = docx.Document(io.BytesIO(content)).element.body
    text = "t" if tag == "ins" else "delText"
    return ["".join(t.text for t in node.iter(f"{W}{text}")) for node in body.iter(f"{W}{tag}")]


def test_the_redline_has_tracked_insertions_deletions_and_names_moved_clauses(client_for, world):
    v1 = rulebook_with_version(
        world.programme_a,
        status=Status.CONSULTATION_CLOSED,
        clauses=[
            ("1", "Scope", "Home care in the whole region."),
            ("2", "Reporting", "The provider reports waiting times every month."),
            ("3", "Fees", "Set by the region."),
        ],
    )
    v2 = RulebookVersion.objects.create(
        rulebook=v1.rulebook, number=2, status=Status.DRAFT, based_on=v1
    )
    old = {c.key: c for c in v1.clauses.all()}
    ClauseFactory(
        version=v2,
        key="1",
        heading="Scope",
        text=old["1"].text,
        lineage=old["1"].lineage,
        position=1,
    )
    ClauseFactory(
        version=v2, key="3", heading="Reporting", position=2, lineage=old["2"].lineage,
        text="The provider reports waiting times every quarter.",
    )  # fmt: skip
    ClauseFactory(version=v2, key="4", heading="Notice", text="Three months.", position=3)

    answer = client_for("provider_in_a").get(
        f"/api/v1/rulebook-versions/{v2.pk}/redline/", HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    inserted, deleted = _tracked(answer.content, "ins"), _tracked(answer.content, "del")
    assert "quarter." in inserted
    assert "month." in deleted
    assert "3" in inserted
    assert "2" in deleted
    assert "4 Notice" in inserted
    assert "Three months." in inserted
    assert "3 Fees" in deleted
    assert "Set by the region." in deleted
    texts = [p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs]
    assert "Flyttad: detta var punkt 2." in texts


def test_a_markdown_rulebook_imports_with_its_lists_and_tables(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    content = (
        b"# Regelbok\n\nInledning.\n\n## 1 Scope\n\nHome care.\n\n- north\n- south\n\n"
        b"1.1 The provider covers the region.\n\n"
        b"## 2 Fees\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n"
        b"![map](map.png)\n"
    )
    answer = _post(client_for("manager_a"), world, rulebook, "regelbok.md", content, preview=True)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    found = [(c["key"], c["heading"], c["text"]) for c in body["clauses"]]
    assert found == [
        ("1", "Scope", "Home care.\n\n- north\n- south"),
        ("1.1", "", "The provider covers the region."),
        ("2", "Fees", "| A | B |\n| --- | --- |\n| 1 | 2 |"),
    ]
    kinds = [n["kind"] for n in body["notes"]]
    assert kinds == ["unnumbered_heading", "before_first_clause", "before_first_clause", "image"]


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (70 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("regelbok.pdf", b"%PDF-1.7", "unsupported_file_type", "Välj en Word-fil (.docx)"),
        ("regelbok.docx", b"not a zip", "unreadable_file", "kunde inte läsas"),
        ("regelbok.docx", _zip_bomb(), "unreadable_file", "kunde inte läsas"),
        ("regelbok.md", b"Bara text.\n", "no_clauses_found", "Ingen numrerad punkt"),
        ("regelbok.md", b"\xff\xfe\x00", "unreadable_file", "UTF-8"),
        ("regelbok.md", b"# 1 A\n" + b"x" * (6 * 1024 * 1024), "file_too_large", "högst 5 MB"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_in_the_persons_language(
    client_for, world, name, content, code, words
):
    rulebook = RulebookFactory(programme=world.programme_a)
    events = Event.objects.count()
    answer = _post(client_for("officer_a"), world, rulebook, name, content, language="sv")
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert error["code"] == code
    assert words in error["message"]
    assert error["fields"]["file"]
    assert not RulebookVersion.objects.filter(rulebook=rulebook).exists()
    assert Event.objects.count() == events


def test_only_the_purchasers_staff_import_and_a_draft_is_not_replaced(client_for, world):
    draft = rulebook_with_version(world.programme_a, clauses=[("1", "Scope", "All.")])
    content = b"## 1 Scope\n\nEverything.\n"
    provider = _post(client_for("provider_in_a"), world, draft.rulebook, "r.md", content)
    assert provider.status_code == 403
    other = client_for("manager_b").post(
        f"/api/v1/rulebooks/{draft.rulebook_id}/import/",
        {"file": SimpleUploadedFile("r.md", content)},
        format="multipart",
        HTTP_X_ACTING_FOR=str(world.purchaser_b.id),
    )
    assert other.status_code == 404
    conflict = _post(client_for("officer_a"), world, draft.rulebook, "r.md", content)
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "draft_exists"
    assert list(draft.rulebook.versions.values_list("number", flat=True)) == [1]
