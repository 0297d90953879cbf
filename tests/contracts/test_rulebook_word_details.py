"""What Word does that a rulebook's import and redline must follow (issue 20): clauses
numbered by Word's automatic numbering (numbering.xml, the levels' start values) import to
the keys Word shows; bold and italic words come in as Markdown emphasis; the .docx redline
marks a whole inserted or deleted paragraph (its paragraph mark too), so that Word's "accept
all changes" leaves exactly the new version."""

import copy
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.interchange.files import parse_upload
from contracts.models import RulebookVersion
from tests.contracts import rulebook_documents as documents
from tests.contracts.rulebook_factories import ClauseFactory, rulebook_with_version

Status = RulebookVersion.Status
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parse(content: bytes, name="regelbok.docx"):
    return parse_upload(SimpleUploadedFile(name, content))


def _found(parsed) -> list[tuple[str, str, str]]:
    return [(c.key, c.heading, c.text) for c in parsed.clauses]


def test_clauses_numbered_by_words_automatic_numbering_import_to_their_keys():
    clauses = documents.first_edition()
    parsed = _parse(documents.docx_automatic(clauses))
    assert _found(parsed) == documents.expected(clauses)


def test_automatic_numbering_counts_from_the_start_its_level_is_given():
    """An excerpt (an annex, a second volume) numbered by Word from chapter 5: 5, 5.1, …"""
    clauses = documents.first_edition()[:20]
    parsed = _parse(documents.docx_automatic(clauses, start=5))
    assert _found(parsed) == documents.expected(documents.renumbered(clauses, first=5))


def _paragraph_with_runs(document, runs):
    paragraph = document.add_paragraph()
    for text, bold, italic in runs:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
    return paragraph


def test_bold_and_italic_words_come_in_as_markdown_emphasis():
    document = docx.Document()
    document.add_heading("1 Scope", level=1)
    _paragraph_with_runs(
        document,
        [
            ("The provider ", False, False),
            ("shall ", True, False),
            ("report ", False, False),
            ("every month", False, True),
            (", and ", False, False),
            ("never", True, True),
            (" later.", False, False),
        ],
    )
    strong = document.add_paragraph("Home care ")
    strong.add_run("only").style = document.styles["Strong"]
    strong.add_run(".")
    out = io.BytesIO()
    document.save(out)
    (clause,) = _parse(out.getvalue()).clauses
    assert clause.text == (
        "The provider **shall** report *every month*, and ***never*** later.\n\nHome care **only**."
    )


# --- the redline's paragraph marks -----------------------------------------------------------


def _accept_all(body) -> list[str]:
    """Word's "accept all changes": inserted content and marks kept, deleted content gone,
    and a paragraph whose mark was deleted joined to the next one."""
    body = copy.deepcopy(body)
    for deleted in list(body.iter(f"{W}del")):
        parent = deleted.getparent()
        if parent.tag == f"{W}rPr":  # a deleted paragraph mark: recorded on the paragraph
            parent.getparent().getparent().set("merged", "1")
        parent.remove(deleted)
    for inserted in list(body.iter(f"{W}ins")):
        parent = inserted.getparent()
        if parent.tag == f"{W}rPr":
            parent.remove(inserted)
            continue
        index = parent.index(inserted)
        for child in list(inserted):
            index += 1
            parent.insert(index, child)
        parent.remove(inserted)
    texts, carried = [], ""
    for paragraph in body.iter(f"{W}p"):
        text = carried + "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        if paragraph.get("merged"):
            carried = text
            continue
        carried = ""
        texts.append(text)
    return texts


def test_accepting_every_change_of_the_redline_gives_the_new_version(client_for, world):
    v1 = rulebook_with_version(
        world.programme_a,
        status=Status.CONSULTATION_CLOSED,
        clauses=[
            ("1", "Scope", "Home care in the whole region."),
            ("2", "Reporting", "The provider reports waiting times every month."),
            ("3", "Fees", "Set by the region.\n\nPaid monthly."),
        ],
    )
    v2 = RulebookVersion.objects.create(
        rulebook=v1.rulebook, number=2, status=Status.DRAFT, based_on=v1
    )
    old = {c.key: c for c in v1.clauses.all()}
    ClauseFactory(
        version=v2, key="1", heading="Scope", position=1, lineage=old["1"].lineage,
        text="Home care in the whole region.\n\nDay care too.",
    )  # fmt: skip
    ClauseFactory(
        version=v2, key="2", heading="Reporting", position=2, lineage=old["2"].lineage,
        text=old["2"].text,
    )  # fmt: skip
    ClauseFactory(version=v2, key="4", heading="Notice", text="Three months.", position=3)

    answer = client_for("officer_a").get(f"/api/v1/rulebook-versions/{v2.pk}/redline/")
    assert answer.status_code == 200
    body = docx.Document(io.BytesIO(answer.content)).element.body
    notes = {"New clause.", "Clause removed."}
    accepted = [text for text in _accept_all(body)[2:] if text not in notes]
    assert accepted == [
        "1 Scope",
        "Home care in the whole region.",
        "Day care too.",
        "2 Reporting",
        "The provider reports waiting times every month.",
        "4 Notice",
        "Three months.",
    ]


@pytest.mark.parametrize("tag", ["ins", "del"])
def test_a_whole_inserted_or_deleted_paragraph_has_its_mark_tracked(client_for, world, tag):
    v1 = rulebook_with_version(
        world.programme_a,
        status=Status.CONSULTATION_CLOSED,
        clauses=[("1", "Scope", "Home care."), ("2", "Fees", "Set by the region.")],
    )
    v2 = RulebookVersion.objects.create(
        rulebook=v1.rulebook, number=2, status=Status.DRAFT, based_on=v1
    )
    old = v1.clauses.get(key="1")
    ClauseFactory(version=v2, key="1", heading="Scope", text="Home care.", lineage=old.lineage)
    ClauseFactory(version=v2, key="3", heading="Notice", text="Three months.", position=2)
    answer = client_for("officer_a").get(f"/api/v1/rulebook-versions/{v2.pk}/redline/")
    body = docx.Document(io.BytesIO(answer.content)).element.body
    wanted = "Three months." if tag == "ins" else "Set by the region."
    text_tag = "t" if tag == "ins" else "delText"
    (paragraph,) = [
        p for p in body.iter(f"{W}p") if "".join(t.text for t in p.iter(f"{W}{text_tag}")) == wanted
    ]
    mark = paragraph.find(f"{W}pPr/{W}rPr/{W}{tag}")
    assert mark is not None
    assert mark.get(f"{W}author")


def test_emphasis_goes_out_as_bold_and_italic_and_comes_back_as_it_was(client_for, world):
    text = "The provider **shall** report *every month*, and ***never*** later.\n\n2 * 3 = 6."
    version = rulebook_with_version(world.programme_a, clauses=[("1", "Scope", text)])
    answer = client_for("officer_a").get(f"/api/v1/rulebook-versions/{version.pk}/docx/")
    assert answer.status_code == 200
    paragraph = next(
        p for p in docx.Document(io.BytesIO(answer.content)).paragraphs if "provider" in p.text
    )
    assert "*" not in paragraph.text  # bold and italic in Word, not asterisks
    assert [
        (r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs if r.bold or r.italic
    ] == [
        ("shall", True, False),
        ("every month", False, True),
        ("never", True, True),
    ]
    (clause,) = _parse(answer.content).clauses
    assert clause.text == text
