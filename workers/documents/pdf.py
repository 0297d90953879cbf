"""HTML → PDF (WeasyPrint), fetching static files only.

User text (Markdown minutes, comments) reaches the HTML sanitised, but the PDF renderer must
still fetch nothing a writer could point it at: `StaticOnlyFetcher` refuses every URL except
the project's own static files, which it reads from disk, never over a network.

WeasyPrint takes seconds to import: a Celery worker loads this module as it starts
(workers.apps.preload_in_worker) and workers.documents.render when it renders, so that no
other process (the web, a management command) pays for it.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The origin templates see as theirs: `{% static %}` URLs resolve against it. It is never
# resolved over a network (.invalid is reserved for that); the fetcher reads the files.
STATIC_ORIGIN = "https://pdf-static.invalid"
BASE_URL = f"{STATIC_ORIGIN}/"


class URLRefused(ValueError):
    """A URL the PDF renderer may not fetch; WeasyPrint logs it and leaves the resource out."""


class StaticOnlyFetcher(URLFetcher):
    """Serves the project's static files by path and refuses everything else: http(s) to any
    other host, file://, data:, ftp: alike. data: URLs could not leak anything, but nothing
    the templates draw needs them (charts are inline SVG), so the rule stays one line."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (
            f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN
            or parts.query
            or not parts.path.startswith(static_prefix)
        ):
            raise URLRefused(f"The PDF renderer fetches only the project's static files: {url}")
        relative = posixpath.normpath(unquote(parts.path[len(static_prefix) :]))
        if relative.startswith(("../", "/")) or relative in ("..", "."):
            raise URLRefused(f"Not a static file: {url}")
        path = finders.find(relative)
        if path is None:
            try:
                candidate = safe_join(str(settings.STATIC_ROOT), relative)
            except Exception as error:  # SuspiciousFileOperation: outside STATIC_ROOT
                raise URLRefused(f"Not a static file: {url}") from error
            path = candidate
        try:
            with open(path, "rb") as handle:
                body = handle.read()
        except OSError as error:
            raise URLRefused(f"No such static file: {url}") from error
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


# Tagged PDF/UA-1: a structure tree (headings, paragraphs, tables with header cells, figures
# with their Alt text), the document's language and title, bookmarks from the headings.
PDF_VARIANT = "pdf/ua-1"


def lay_out(html: str):
    """WeasyPrint's laid-out document of the HTML, fetching static files only."""
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
        pdf_variant=PDF_VARIANT
    )


def anchor_pages(rendered) -> dict[str, int]:
    """The page (from 1) on which each anchor (element id) of a laid-out document starts: an
    element split over pages is an anchor on each of them."""
    found: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, 1):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def write_pdf(html: str, front_matter=None) -> tuple[bytes, int]:
    """The PDF of a document's HTML and its number of pages, fetching static files only.

    `front_matter`, when given, is called with the laid-out document's number of pages and
    the page of each anchor; it returns the HTML of pages to put before them (a cover and a
    table of contents) or None. The document is laid out once either way: the front matter is
    laid out on its own and its pages joined to the document's."""
    body = lay_out(html)
    front_html = front_matter(len(body.pages), anchor_pages(body)) if front_matter else None
    if front_html is None:
        return body.write_pdf(pdf_variant=PDF_VARIANT), len(body.pages)
    front = lay_out(front_html)
    joined = body.copy([*front.pages, *body.pages])
    return joined.write_pdf(pdf_variant=PDF_VARIANT), len(joined.pages)
