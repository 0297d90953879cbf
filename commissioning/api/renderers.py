"""The API's JSON renderer, and content negotiation of its answers that are files (a PDF, a
CSV, a calendar).

JSON: DRF's JSONRenderer with orjson doing the encoding (FastJSONRenderer), the same bytes
as DRF's encoder writes, several times faster for a page of 100 rows.

Files: such an address has one representation: the file. So whatever the Accept header says (the
file's own type, `*/*`, none, or a type the file is not), the answer is the file, never a
406 (HTTP lets a server disregard Accept rather than refuse); a refusal is JSON in the one
error shape of api.errors, labelled application/json (FileView)."""

import functools
import json

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

# What orjson writes itself (str, int, float, bool, None, dicts and lists, and subclasses of
# these such as DRF's ReturnDict and Django's choices) is written as DRF's encoder writes it.
# Dates and times go to DRF's encoder, which writes them its own way ("Z" for UTC, times to
# the millisecond); so does what orjson does not know (lazy translations, Decimal).
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# DRF escapes these two (valid in JSON, not in JavaScript source); so do we.
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, encoding with orjson: compact UTF-8 as DRF's, and DRF's own
    renderer for what orjson refuses (an integer beyond 64 bits) or an indent asked for in
    the Accept header."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=self.encoder_class().default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80" in rendered:
            for raw, escaped in _LINE_SEPARATORS:
                rendered = rendered.replace(raw, escaped)
        return rendered


class FileRenderer(BaseRenderer):
    """The renderer of one file type. The file itself is a ready HttpResponse, never rendered
    here; what would be rendered is a refusal's body, which FileView hands to JSON."""

    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


@functools.cache
def file_renderer(media_type: str) -> type[FileRenderer]:
    """The renderer class of one file type, e.g. file_renderer("application/pdf")."""
    subtype = media_type.split("/")[-1]
    name = "".join(part.title() for part in subtype.replace(".", "-").split("-"))
    return type(f"{name}FileRenderer", (FileRenderer,), {"media_type": media_type})


class FileNegotiation(DefaultContentNegotiation):
    """The file's renderer, whatever the client accepts: an address with one representation
    sends it (a PDF reader's `Accept: application/pdf`, a calendar's `text/calendar`, a
    browser's `text/html,…,*/*;q=0.8`, none) instead of answering 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = next(r for r in renderers if isinstance(r, FileRenderer))
        return renderer, renderer.media_type
