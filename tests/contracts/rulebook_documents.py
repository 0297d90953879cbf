"""Rulebook documents made in the tests, as regions write them: a .docx with the clause
numbers typed in the headings and paragraphs, an .odt numbered by the word processor (outline
numbering of the headings, a multi-level list for the clauses without heading). Both are
written from the same clauses, (key, heading, blocks), where a block is ("p", text),
("ul", [items]) or ("table", rows); `expected` gives the clauses as an import should find
them (key, heading, Markdown text)."""

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentText
from odf.style import ListLevelProperties
from odf.text import ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, OutlineLevelStyle

VERBS = ["report", "publish", "review", "keep", "document", "offer", "follow up", "train"]
THINGS = [
    "waiting times", "staff qualifications", "medication errors", "complaints",
    "care plans", "patient satisfaction", "opening hours", "interpreter services",
    "hygiene routines", "deviations", "sub-contractors", "accessibility",
]  # fmt: skip


def _text(chapter: int, number: int) -> str:
    verb = VERBS[(chapter * 3 + number) % len(VERBS)]
    thing = THINGS[(chapter + number * 5) % len(THINGS)]
    return (
        f"The provider shall {verb} {thing} for unit {chapter}-{number} every "
        f"{chapter + number} weeks, and tell the region of any change within "
        f"{10 + chapter * number} days."
    )


def first_edition() -> list[tuple]:
    """12 chapters of 9 clauses: 120 clauses. Every third clause has no heading (a numbered
    paragraph); 2.2 holds a list and a table."""
    clauses = []
    for chapter in range(1, 13):
        clauses.append((str(chapter), f"Chapter {chapter}: {THINGS[chapter - 1]}", []))
        for number in range(1, 10):
            key = f"{chapter}.{number}"
            blocks = [("p", _text(chapter, number))]
            heading = "" if number % 3 == 0 else f"Rule on {THINGS[(chapter * number) % 12]}"
            if key == "2.2":
                blocks += [
                    ("ul", ["a nurse on call", "a doctor within one hour"]),
                    ("table", [["Level", "Hours"], ["Basic", "8"], ["Full", "24"]]),
                ]
            if heading and number % 4 == 1:
                blocks.append(("p", f"This applies from year {2026 + chapter}."))
            clauses.append((key, heading, blocks))
    return clauses


def second_edition() -> list[tuple]:
    """3.2 deleted and 3.3-3.9 renumbered 3.2-3.8 (moved), 5.4 reworded (changed), 7.10 new."""
    clauses = []
    for key, heading, blocks in first_edition():
        if key == "3.2":
            continue
        if key.startswith("3.") and int(key.split(".")[1]) > 2:
            key = f"3.{int(key.split('.')[1]) - 1}"
        if key == "5.4":
            blocks = [("p", blocks[0][1].replace("shall", "must").replace("every", "each"))]
        clauses.append((key, heading, blocks))
        if key == "7.9":
            clauses.append(("7.10", "Rule on sustainability", [("p", "Vehicles run on biogas.")]))
    return clauses


def markdown(blocks) -> str:
    parts = []
    for kind, content in blocks:
        if kind == "p":
            parts.append(content)
        elif kind == "ul":
            parts.append("\n".join(f"- {item}" for item in content))
        else:
            lines = ["| " + " | ".join(row) + " |" for row in content]
            lines.insert(1, "| " + " | ".join(["---"] * len(content[0])) + " |")
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def expected(clauses) -> list[tuple[str, str, str]]:
    return [(key, heading, markdown(blocks)) for key, heading, blocks in clauses]


# --- .docx, numbers typed ---------------------------------------------------------------------


def _docx_blocks(document, blocks, *, first_prefix=""):
    for index, (kind, content) in enumerate(blocks):
        if kind == "p":
            document.add_paragraph((first_prefix if index == 0 else "") + content)
        elif kind == "ul":
            for item in content:
                document.add_paragraph(item, style="List Bullet")
        else:
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for row, values in zip(table.rows, content, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value


def docx_typed(clauses) -> bytes:
    document = docx.Document()
    document.add_paragraph("Regelbok för hemtjänst", style="Title")
    document.add_paragraph("Adopted by the regional board; replaces the rulebook of 2025.")
    for key, heading, blocks in clauses:
        if heading:
            document.add_heading(f"{key} {heading}", level=key.count(".") + 1)
            _docx_blocks(document, blocks)
        else:
            _docx_blocks(document, blocks, first_prefix=f"{key} ")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- .docx, numbered by Word ------------------------------------------------------------------


def _docx_outline(document, *, start: int) -> str:
    """A multi-level list in the numbering part ("%1", "%1.%2", "%1.%2.%3", the first level
    counting from `start`), linked to Heading 1 and Heading 2 as Word links outline numbering
    to headings; its numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, text in enumerate(["%1", "%1.%2", "%1.%2.%3"]):
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (
            ("w:start", str(start if ilvl == 0 else 1)),
            ("w:numFmt", "decimal"),
            ("w:lvlText", text),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            level.append(child)
        abstract.append(level)
    numbering.insert(0, abstract)  # abstractNum elements come before num elements
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    reference = OxmlElement("w:abstractNumId")
    reference.set(qn("w:val"), "90")
    num.append(reference)
    numbering.append(num)
    for ilvl, name in enumerate(["Heading 1", "Heading 2"]):
        _number(document.styles[name].element.get_or_add_pPr(), "90", ilvl)
    return "90"


def _number(ppr, num_id: str, ilvl: int) -> None:
    numpr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(ilvl)), ("w:numId", num_id)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        numpr.append(child)
    ppr.append(numpr)


def docx_automatic(clauses, *, start: int = 1) -> bytes:
    """The clauses numbered by Word: headings by the outline linked to their styles, clauses
    without heading as items of the same list at their level; no number typed anywhere."""
    document = docx.Document()
    document.add_paragraph("Regelbok för hemtjänst", style="Title")
    num_id = _docx_outline(document, start=start)
    for key, heading, blocks in clauses:
        if heading:
            document.add_heading(heading, level=key.count(".") + 1)
            _docx_blocks(document, blocks)
            continue
        first, *rest = blocks
        paragraph = document.add_paragraph(first[1])
        _number(paragraph._p.get_or_add_pPr(), num_id, key.count("."))
        _docx_blocks(document, rest)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def renumbered(clauses, *, first: int) -> list[tuple]:
    """The same clauses with the chapters counted from `first`."""
    shift = first - 1
    moved = []
    for key, heading, blocks in clauses:
        chapter, *rest = key.split(".")
        moved.append((".".join([str(int(chapter) + shift), *rest]), heading, blocks))
    return moved


# --- .odt, numbered by the word processor ---------------------------------------------------


def _odt_styles(document):
    outline = odf_text.OutlineStyle(name="Outline")
    for level in (1, 2):
        outline.addElement(
            OutlineLevelStyle(level=level, numformat="1", displaylevels=level, numsuffix=" ")
        )
    document.styles.addElement(outline)
    clauses = ListStyle(name="ClauseNumbers")
    for level in (1, 2):
        style = ListLevelStyleNumber(level=level, numformat="1", displaylevels=level)
        style.addElement(ListLevelProperties())
        clauses.addElement(style)
    bullets = ListStyle(name="Bullets")
    bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
    document.automaticstyles.addElement(clauses)
    document.automaticstyles.addElement(bullets)


def _odt_blocks(document, blocks):
    for kind, content in blocks:
        if kind == "p":
            document.text.addElement(odf_text.P(text=content))
        elif kind == "ul":
            bullets = odf_text.List(stylename="Bullets")
            for item in content:
                entry = odf_text.ListItem()
                entry.addElement(odf_text.P(text=item))
                bullets.addElement(entry)
            document.text.addElement(bullets)
        else:
            grid = odf_table.Table(name=f"Table{id(content)}")
            grid.addElement(odf_table.TableColumn(numbercolumnsrepeated=len(content[0])))
            for values in content:
                row = odf_table.TableRow()
                for value in values:
                    cell = odf_table.TableCell()
                    cell.addElement(odf_text.P(text=value))
                    row.addElement(cell)
                grid.addElement(row)
            document.text.addElement(grid)


def _odt_numbered_paragraph(document, text: str):
    """A clause without heading: an item at level 2 of the multi-level clause list."""
    outer = odf_text.List(stylename="ClauseNumbers", continuenumbering="true")
    item = odf_text.ListItem()
    inner = odf_text.List()
    inner_item = odf_text.ListItem()
    inner_item.addElement(odf_text.P(text=text))
    inner.addElement(inner_item)
    item.addElement(inner)
    outer.addElement(item)
    document.text.addElement(outer)


def odt_automatic(clauses) -> bytes:
    document = OpenDocumentText()
    _odt_styles(document)
    document.text.addElement(odf_text.P(text="Regelbok för hemtjänst"))
    for key, heading, blocks in clauses:
        level = key.count(".") + 1
        if heading:
            document.text.addElement(odf_text.H(outlinelevel=level, text=heading))
            _odt_blocks(document, blocks)
        else:
            _odt_numbered_paragraph(document, blocks[0][1])
            _odt_blocks(document, blocks[1:])
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
