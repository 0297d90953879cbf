"""The .docx reader (python-docx): headings by their style ("Heading 2") or outline level,
numbering from Word's numbering definitions, tables as pipe tables.

A paragraph numbered by Word (its own w:numPr or its style's) is a clause when it is a
numbered heading, or a decimal item of a multi-level list (one whose levels show numbers such
as "%1.%2": an outline, not a list of points). Its level is the number of levels the text names. A
one-level decimal list ("1.") stays a numbered list of the clause's text, a bullet list a
"- " list."""

import re

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from contracts.interchange.parsed import Builder, ParsedDocument

HEADING_STYLE = re.compile(r"^(?:heading|rubrik|overskrift)\s*([1-9])$", re.I)
LIST_STYLE = re.compile(r"^List Bullet ([2-9])$")
TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}


def paragraph_text(element) -> str:
    """The visible text of a paragraph or cell (deleted tracked text and field codes left out:
    they are w:delText and w:instrText, not w:t)."""
    pieces = []
    for node in element.iter(*TEXT_TAGS):
        replacement = TEXT_TAGS[node.tag]
        pieces.append(node.text or "" if replacement is None else replacement)
    return "".join(pieces)


class _Numbering:
    """The format of each (numId, level) of the document's numbering part."""

    def __init__(self, document):
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        self.levels: dict[tuple[str, int], tuple[str, str]] = {}
        self.outlines: set[str] = set()  # numIds of multi-level lists ("%1.%2" somewhere)
        if root is None:
            return
        abstract = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = abstract.get(ref.get(qn("w:val")) if ref is not None else "", {})
            num_id = num.get(qn("w:numId"))
            for ilvl, value in levels.items():
                self.levels[(num_id, ilvl)] = value
            if any(text.count("%") >= 2 for _fmt, text in levels.values()):
                self.outlines.add(num_id)

    def of(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        return self.levels.get((num_id, ilvl))


def _styles(paragraph: Paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    candidates = [paragraph._p.pPr] + [style.element.pPr for style in _styles(paragraph)]
    num_id, ilvl = None, None
    for ppr in candidates:
        if ppr is None or ppr.numPr is None:
            continue
        numpr = ppr.numPr
        if num_id is None and numpr.numId is not None:
            num_id = str(numpr.numId.val)
        if ilvl is None and numpr.ilvl is not None:
            ilvl = int(numpr.ilvl.val)
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl or 0


def _heading_level(paragraph: Paragraph) -> int | None:
    for style in _styles(paragraph):
        match = HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1))
    for ppr in [paragraph._p.pPr] + [style.element.pPr for style in _styles(paragraph)]:
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None and int(outline.get(qn("w:val"))) < 9:
            return int(outline.get(qn("w:val"))) + 1
    return None


def _note_extras(builder: Builder, element, text: str) -> None:
    if element.find(".//" + qn("w:drawing")) is not None or element.find(".//" + qn("w:pict")):
        builder.note("image", text or "—")
    if element.find(".//" + qn("w:commentReference")) is not None:
        builder.note("comment", text or "—")


def _paragraph(builder: Builder, paragraph: Paragraph, numbering: _Numbering) -> None:
    text = paragraph_text(paragraph._p).strip()
    _note_extras(builder, paragraph._p, text)
    level = _heading_level(paragraph)
    numpr = _num_pr(paragraph)
    fmt = numbering.of(*numpr) if numpr else None
    shown_levels = fmt[1].count("%") if fmt else 0
    if level is not None:
        builder.heading(text, level=max(shown_levels, 1) if fmt else level, numbered=bool(fmt))
    elif fmt is None or not text:
        builder.paragraph(text)
    elif fmt[0] == "bullet":
        nested = LIST_STYLE.match(paragraph.style.name or "")
        builder.list_item(text, depth=numpr[1] or (int(nested.group(1)) - 1 if nested else 0))
    elif fmt[0] == "decimal" and numpr[0] in numbering.outlines:
        builder.numbered_paragraph(text, level=shown_levels or numpr[1] + 1)
    else:
        builder.list_item(text, depth=0, ordered=1)


def _table(builder: Builder, table: Table) -> None:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(paragraph_text(p._p) for p in cell.paragraphs).strip())
        rows.append(cells)
    builder.table(rows)


def read_docx(file) -> ParsedDocument:
    document = Document(file)
    numbering = _Numbering(document)
    builder = Builder()
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            _paragraph(builder, Paragraph(child, document), numbering)
        elif child.tag == qn("w:tbl"):
            _table(builder, Table(child, document))
    return builder.finish()
