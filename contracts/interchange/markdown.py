"""The Markdown reader (markdown-it-py, the parser the project renders Markdown with):
headings "#"..."######" are clauses when their number is typed ("## 4.2 Staffing"), a
paragraph starting with a key that continues the numbering ("4.2a The provider ...") is a
clause without heading, and every other block is kept as written (lists, tables, quotes)."""

from markdown_it import MarkdownIt

from contracts.interchange.parsed import Builder, ParsedDocument

_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _source(lines: list[str], token) -> str:
    start, end = token.map
    return "\n".join(lines[start:end]).strip("\n")


def _note_images(builder: Builder, inline) -> None:
    for child in inline.children or []:
        if child.type == "image":
            builder.note("image", child.attrs.get("src", "") or child.content)
        elif child.type == "html_inline" and child.content.startswith("<!--"):
            builder.note("comment", child.content)


def _only_images(inline) -> bool:
    """A paragraph of images alone: noted, not kept as text."""
    return all(
        child.type in ("image", "softbreak") or (child.type == "text" and not child.content.strip())
        for child in inline.children or []
    )


def read_markdown(text: str) -> ParsedDocument:
    lines = text.splitlines()
    tokens = _parser.parse(text)
    builder = Builder()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.nesting == -1:
            index += 1
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1]
            _note_images(builder, inline)
            builder.heading(inline.content, level=int(token.tag[1]), numbered=False)
        elif token.type == "paragraph_open":
            _note_images(builder, tokens[index + 1])
            if not _only_images(tokens[index + 1]):
                builder.paragraph(_source(lines, token))
        elif token.type == "html_block":
            builder.note("comment" if token.content.startswith("<!--") else "html", token.content)
        elif token.map is not None:
            builder.raw(_source(lines, token))
        index += 1
    return builder.finish()
