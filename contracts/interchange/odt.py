"""The .odt reader (odfpy): headings (text:h) numbered by the document's outline style,
lists numbered or bulleted by their list style, tables as pipe tables.

A heading is a clause when its number is typed or its outline level has a number format. An
item of a numbered list is a clause when the list is an outline (one of its levels shows two
numbers or more, "1.1"), at the level of its nesting; any other list stays a list of the
clause's text."""

from odf.namespaces import DRAWNS, OFFICENS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import load

from contracts.interchange.parsed import Builder, ParsedDocument

TEXT_NODE = 3
SKIPPED = {(OFFICENS, "annotation"), (TEXTNS, "note"), (TEXTNS, "number")}


def _attr(node, ns, name, default=None):
    return node.attributes.get((ns, name), default)


def _text(node, builder: Builder | None = None) -> str:
    """The visible text of a paragraph (text:s, tab and line break as typed); comments and
    images are noted, footnotes and the rendered list number left out."""
    pieces = []
    for child in node.childNodes:
        if child.nodeType == TEXT_NODE:
            pieces.append(child.data)
            continue
        if child.qname == (OFFICENS, "annotation"):
            if builder is not None:
                builder.note("comment", _text(child) or "—")
        elif child.qname == (DRAWNS, "frame"):
            if builder is not None:
                builder.note("image", _attr(child, DRAWNS, "name", "—"))
        elif child.qname == (TEXTNS, "s"):
            pieces.append(" " * int(_attr(child, TEXTNS, "c", "1")))
        elif child.qname == (TEXTNS, "tab"):
            pieces.append("\t")
        elif child.qname == (TEXTNS, "line-break"):
            pieces.append("\n")
        elif child.qname not in SKIPPED:
            pieces.append(_text(child, builder))
    return "".join(pieces)


class _Styles:
    def __init__(self, document):
        self.lists: dict[str, dict[int, tuple[str, int]]] = {}
        self.outline: dict[int, str] = {}
        for container in (document.styles, document.automaticstyles):
            for style in container.childNodes:
                if style.qname == (TEXTNS, "list-style"):
                    self.lists[_attr(style, STYLENS, "name")] = self._levels(style)
                elif style.qname == (TEXTNS, "outline-style"):
                    for level in style.childNodes:
                        number = _attr(level, TEXTNS, "level")
                        if number is not None:
                            self.outline[int(number)] = _attr(level, STYLENS, "num-format", "")

    @staticmethod
    def _levels(style) -> dict[int, tuple[str, int]]:
        levels = {}
        for level in style.childNodes:
            number = _attr(level, TEXTNS, "level")
            if number is None:
                continue
            if level.qname == (TEXTNS, "list-level-style-number"):
                shown = int(_attr(level, TEXTNS, "display-levels", "1"))
                levels[int(number)] = (_attr(level, STYLENS, "num-format", ""), shown)
            else:
                levels[int(number)] = ("bullet", 1)
        return levels

    def is_outline(self, list_style: str | None) -> bool:
        levels = self.lists.get(list_style or "", {})
        return any(fmt == "1" and shown >= 2 for fmt, shown in levels.values())

    def level(self, list_style: str | None, depth: int) -> tuple[str, int]:
        return self.lists.get(list_style or "", {}).get(depth, ("bullet", 1))


class _Reader:
    def __init__(self, document):
        self.styles = _Styles(document)
        self.builder = Builder()

    def block(self, node, *, list_style=None, depth=0) -> None:
        if node.qname == (TEXTNS, "h"):
            level = int(_attr(node, TEXTNS, "outline-level", "1"))
            numbered = bool(self.styles.outline.get(level)) and (
                _attr(node, TEXTNS, "is-list-header") != "true"
            )
            self.builder.heading(_text(node, self.builder), level=level, numbered=numbered)
        elif node.qname == (TEXTNS, "p"):
            text = _text(node, self.builder).strip()
            if depth:
                self.item(text, list_style, depth)
            else:
                self.builder.paragraph(text)
        elif node.qname == (TEXTNS, "list"):
            style = _attr(node, TEXTNS, "style-name") or list_style
            for item in node.childNodes:
                for child in item.childNodes:
                    self.block(child, list_style=style, depth=depth + 1)
        elif node.qname == (TABLENS, "table"):
            self.table(node)
        elif node.qname == (TEXTNS, "section"):
            for child in node.childNodes:
                self.block(child, list_style=list_style, depth=depth)

    def item(self, text: str, list_style, depth: int) -> None:
        fmt, _shown = self.styles.level(list_style, depth)
        if not text:
            return
        if fmt == "1" and self.styles.is_outline(list_style):
            self.builder.numbered_paragraph(text, level=depth)
        elif fmt == "bullet":
            self.builder.list_item(text, depth=depth - 1)
        else:
            self.builder.list_item(text, depth=depth - 1, ordered=1)

    def table(self, node) -> None:
        rows = []
        for row in _descendants(node, (TABLENS, "table-row")):
            cells = [
                " ".join(_text(p) for p in cell.childNodes if p.qname == (TEXTNS, "p")).strip()
                for cell in row.childNodes
                if cell.qname == (TABLENS, "table-cell")
            ]
            rows.append(cells)
        self.builder.table(rows)


def _descendants(node, qname):
    for child in node.childNodes:
        if child.nodeType == TEXT_NODE:
            continue
        if child.qname == qname:
            yield child
        else:
            yield from _descendants(child, qname)


def read_odt(file) -> ParsedDocument:
    document = load(file)
    reader = _Reader(document)
    for node in document.text.childNodes:
        if node.nodeType != TEXT_NODE:
            reader.block(node)
    return reader.builder.finish()
