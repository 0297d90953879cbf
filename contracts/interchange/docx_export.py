"""A rulebook version as a .docx (python-docx) that the readers here read back to the same
clauses: each clause a heading "4.2 Staffing" at the level of its key (a clause without
heading: a paragraph starting with its key), its Markdown text as paragraphs, "- " lists as
bulleted lists and pipe tables as tables. The document's own words (title, version line)
are in the active language: the caller chooses it."""

import io
import re

import docx
from django.utils.formats import date_format
from django.utils.translation import gettext as _

TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
BULLET = re.compile(r"^(\s*)[-*+] (.*)$")


def blocks(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text or "") if block.strip()]


def table_rows(block: str) -> list[list[str]] | None:
    lines = block.splitlines()
    if len(lines) < 2 or not all(line.lstrip().startswith("|") for line in lines):
        return None
    if not TABLE_RULE.match(lines[1].strip()):
        return None
    rows = []
    for line in [lines[0], *lines[2:]]:
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return rows


# Markdown emphasis: ***both***, **bold**, *italic* (what the .docx reader writes back).
EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")


def _add_emphasised(paragraph, line: str):
    """The line's runs, its Markdown emphasis as bold and italic rather than asterisks."""
    run, position = None, 0
    for match in EMPHASIS.finditer(line):
        if match.start() > position:
            run = paragraph.add_run(line[position : match.start()])
        run = paragraph.add_run(match.group(2))
        marks = len(match.group(1))
        run.bold, run.italic = marks >= 2 or None, marks in (1, 3) or None
        position = match.end()
    if position < len(line) or run is None:
        run = paragraph.add_run(line[position:])
    return run


def add_text_paragraph(document, text: str, style=None):
    paragraph = document.add_paragraph(style=style)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = _add_emphasised(paragraph, line)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def add_markdown(document, text: str, *, prefix: str = "") -> None:
    """The clause text; `prefix` (a key) starts the first paragraph."""
    for index, block in enumerate(blocks(text)):
        lead = prefix if index == 0 else ""
        rows = table_rows(block)
        bullets = [BULLET.match(line) for line in block.splitlines()]
        if lead and (rows is not None or all(bullets)):
            document.add_paragraph(lead.strip())
            lead = ""
        if rows is not None:
            width = max(len(row) for row in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=False):
                    cell.text = value
        elif all(bullets):
            for match in bullets:
                depth = min(len(match.group(1)) // 2, 2)
                style = "List Bullet" if depth == 0 else f"List Bullet {depth + 1}"
                document.add_paragraph(match.group(2), style=style)
        else:
            add_text_paragraph(document, lead + block)
    if prefix and not blocks(text):
        document.add_paragraph(prefix.strip())


def add_clause(document, clause) -> None:
    level = min(clause.key.count(".") + 1, 9)
    if clause.heading or level == 1:
        document.add_heading(f"{clause.key} {clause.heading}".strip(), level=level)
        add_markdown(document, clause.text)
    else:
        add_markdown(document, clause.text, prefix=f"{clause.key} ")


def version_heading(version) -> str:
    return _("%(title)s, version %(number)s") % {
        "title": version.rulebook.title,
        "number": version.number,
    }


def new_document(title: str):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    return document


def version_docx(version, clauses) -> bytes:
    """The version with its clauses in order, as .docx bytes."""
    document = new_document(version_heading(version))
    status = _("Status: %(status)s.") % {"status": version.get_status_display().lower()}
    if version.adopted_at is not None:
        status += " " + _("Adopted on %(date)s.") % {
            "date": date_format(version.adopted_at, "DATE_FORMAT")
        }
    document.add_paragraph(status)
    if version.summary:
        document.add_paragraph(version.summary)
    for clause in clauses:
        add_clause(document, clause)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
