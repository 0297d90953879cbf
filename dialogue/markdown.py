"""Markdown written by people (minutes, later consultation texts) turned into safe HTML.

The one place that renders it: markdown-it-py (CommonMark, tables and strikethrough, raw HTML
not passed through) and then nh3, so that whatever a writer pastes, a reader's browser or the
PDF renderer gets no script, no event handler and no link to a `javascript:` address."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"style"}, "th": {"style"}}


def render_markdown(text: str) -> str:
    """Sanitised HTML of a Markdown text."""
    return nh3.clean(
        _parser.render(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
