"""Content negotiation of the API's answers that are files (a PDF, a CSV, a calendar).

Such an address has one representation: the file. So whatever the Accept header says (the
file's own type, `*/*`, none, or a type the file is not), the answer is the file, never a
406 (HTTP lets a server disregard Accept rather than refuse); a refusal is JSON in the one
error shape of api.errors, labelled application/json (FileView)."""

import functools
import json

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


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
