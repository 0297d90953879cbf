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

from contracts.interchange.parsed import Builder, ParsedDocument, typed_key

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


def _on(properties, tag: str) -> bool | None:
    """Whether a run property (w:b, w:i) is set: None when not named at all."""
    node = properties.find(qn(tag)) if properties is not None else None
    if node is None:
        return None
    return node.get(qn("w:val"), "true").lower() not in ("0", "false", "off", "none")


def _emphasis(run, styles) -> tuple[bool, bool]:
    """Bold and italic of a run: its own formatting, else its character style's ("Strong",
    "Emphasis")."""
    properties = run.find(qn("w:rPr"))
    style = properties.find(qn("w:rStyle")) if properties is not None else None
    style_properties = None
    if style is not None:
        found = styles.get(style.get(qn("w:val")))
        style_properties = found.element.find(qn("w:rPr")) if found is not None else None
    found = []
    for tag in ("w:b", "w:i"):
        own = _on(properties, tag)
        found.append(bool(own if own is not None else _on(style_properties, tag)))
    return found[0], found[1]


def paragraph_markdown(element, styles) -> str:
    """The paragraph's text with its bold and italic words as Markdown emphasis (**bold**,
    *italic*, ***both***); the spaces at either end of a run stay outside the marks."""
    pieces: list[tuple[str, tuple[bool, bool]]] = []
    for run in element.iter(qn("w:r")):
        text = paragraph_text(run)
        if not text:
            continue
        emphasis = _emphasis(run, styles)
        if pieces and pieces[-1][1] == emphasis:
            pieces[-1] = (pieces[-1][0] + text, emphasis)
        else:
            pieces.append((text, emphasis))
    out = []
    for text, (bold, italic) in pieces:
        core = text.strip()
        marks = ("**" if bold else "") + ("*" if italic else "")
        if not marks or not core:
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out.append(f"{lead}{marks}{core}{marks[::-1]}{trail}")
    return "".join(out)


class _StyleIndex:
    """The document's styles by id, for a run's character style."""

    def __init__(self, document):
        self.by_id = {style.style_id: style for style in document.styles}

    def get(self, style_id):
        return self.by_id.get(style_id)


class _Numbering:
    """The format of each (numId, level) of the document's numbering part."""

    def __init__(self, document):
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        self.levels: dict[tuple[str, int], tuple[str, str]] = {}
        self.first: dict[tuple[str, int], int] = {}  # the start value of each level
        self.outlines: set[str] = set()  # numIds of multi-level lists ("%1.%2" somewhere)
        if root is None:
            return
        abstract, starts = {}, {}
        for node in root.findall(qn("w:abstractNum")):
            levels, first = {}, {}
            for lvl in node.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")))
                fmt, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                levels[ilvl] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                )
                first[ilvl] = _value(lvl.find(qn("w:start")), 1)
            abstract[node.get(qn("w:abstractNumId"))] = levels
            starts[node.get(qn("w:abstractNumId"))] = first
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            ref = ref.get(qn("w:val")) if ref is not None else ""
            levels = abstract.get(ref, {})
            num_id = num.get(qn("w:numId"))
            first = dict(starts.get(ref, {}))
            for override in num.findall(qn("w:lvlOverride")):  # this list restarts a level
                ilvl = int(override.get(qn("w:ilvl")))
                first[ilvl] = _value(override.find(qn("w:startOverride")), first.get(ilvl, 1))
            for ilvl, value in levels.items():
                self.levels[(num_id, ilvl)] = value
                self.first[(num_id, ilvl)] = first.get(ilvl, 1)
            if any(text.count("%") >= 2 for _fmt, text in levels.values()):
                self.outlines.add(num_id)

    def of(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        return self.levels.get((num_id, ilvl))

    def starts(self, num_id: str, levels: int) -> tuple[int, ...]:
        """The start values of the list's first `levels` levels (Word's w:start)."""
        return tuple(self.first.get((num_id, ilvl), 1) for ilvl in range(levels))


def _value(node, default: int) -> int:
    try:
        return int(node.get(qn("w:val"))) if node is not None else default
    except (TypeError, ValueError):
        return default


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


def _rich(paragraph: Paragraph, text: str, styles) -> str:
    """The paragraph as Markdown with its emphasis, unless the emphasis would hide a clause
    number typed at its start (**4.2** …): then its plain text."""
    rich = paragraph_markdown(paragraph._p, styles).strip()
    return text if typed_key(text) is not None and typed_key(rich) is None else rich


def _paragraph(builder: Builder, paragraph: Paragraph, numbering: _Numbering, styles) -> None:
    text = paragraph_text(paragraph._p).strip()
    _note_extras(builder, paragraph._p, text)
    level = _heading_level(paragraph)
    numpr = _num_pr(paragraph)
    fmt = numbering.of(*numpr) if numpr else None
    shown_levels = fmt[1].count("%") if fmt else 0
    starts = numbering.starts(numpr[0], max(shown_levels, 1)) if fmt else ()
    if level is not None:
        level = max(shown_levels, 1) if fmt else level
        builder.heading(text, level=level, numbered=bool(fmt), starts=starts)
        return
    rich = _rich(paragraph, text, styles)
    if fmt is None or not text:
        builder.paragraph(rich)
    elif fmt[0] == "bullet":
        nested = LIST_STYLE.match(paragraph.style.name or "")
        builder.list_item(rich, depth=numpr[1] or (int(nested.group(1)) - 1 if nested else 0))
    elif fmt[0] == "decimal" and numpr[0] in numbering.outlines:
        builder.numbered_paragraph(rich, level=shown_levels or numpr[1] + 1, starts=starts)
    else:
        builder.list_item(rich, depth=0, ordered=1)


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
    styles = _StyleIndex(document)
    builder = Builder()
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            _paragraph(builder, Paragraph(child, document), numbering, styles)
        elif child.tag == qn("w:tbl"):
            _table(builder, Table(child, document))
    return builder.finish()
