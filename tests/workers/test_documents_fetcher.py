"""User text must never make the PDF renderer fetch anything: a listener on
127.0.0.1 records every request, and hostile markup in comments, minutes and raw HTML leaves
it with 0 hits. A control run with WeasyPrint's own fetcher proves the listener is hit when
a fetcher does fetch."""

import http.server
import threading

import pytest
import weasyprint

from tests.dialogue import response_factories
from tests.dialogue.meeting_factories import MinutesRevisionFactory
from tests.workers.document_factories import document_scene
from workers.documents import pdf as pdf_writer
from workers.documents import render
from workers.documents.content import build_data
from workers.models import Document

PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def listener():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile(base: str) -> str:
    return f"""
<html><head>
<link rel="stylesheet" href="{base}/link.css">
<style>@import url("{base}/import.css");
body {{ background: url({base}/style-block.png); }}
@font-face {{ font-family: x; src: url({base}/font.woff); }}</style></head>
<body>
<img src="{base}/img.png"><img src="file:///etc/passwd"><img src="/etc/passwd">
<div style="background-image: url('{base}/style-attr.png')">x</div>
<div style="background-image: url('file:///etc/passwd')">x</div>
<object data="{base}/object.png"></object><embed src="{base}/embed.png">
<svg width="10" height="10"><image href="{base}/svg.png" width="10" height="10"/></svg>
<iframe src="{base}/iframe.html"></iframe>
<img src="https://pdf-static.invalid/static/../../../../etc/passwd">
</body></html>"""


def test_hostile_html_makes_the_renderer_fetch_nothing(listener):
    base, hits = listener
    pdf, pages = pdf_writer.write_pdf(hostile(base))
    assert pdf.startswith(b"%PDF")
    assert pages == 1
    assert hits == []


def test_the_listener_is_hit_by_a_renderer_that_fetches(listener):
    base, hits = listener
    weasyprint.HTML(string=hostile(base)).write_pdf()
    assert "/img.png" in hits
    assert "/style-attr.png" in hits


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x",
        "https://pdf-static.invalid/static/../../etc/passwd",
        "https://pdf-static.invalid/media/documents/1.pdf",
    ],
)
def test_the_fetcher_refuses_every_url_but_static_files(url):
    with pytest.raises(pdf_writer.URLRefused):
        pdf_writer.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_projects_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "logo.png").write_bytes(PIXEL)
    response = pdf_writer.StaticOnlyFetcher().fetch(
        "https://pdf-static.invalid/static/pdf/logo.png"
    )
    assert response.read() == PIXEL
    assert response.content_type == "image/png"


def test_hostile_comments_and_minutes_fetch_nothing_through_the_templates(
    world, listener, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    base, hits = listener
    scene = document_scene(world)
    markup = (
        f'Titta här <img src="{base}/comment.png"> ![bild]({base}/markdown.png) '
        f'<img src="file:///etc/passwd"> <span style="background:url({base}/css.png)">å</span>'
    )
    response_factories.CommentFactory(
        consultation=scene.consultation, organisation=scene.provider_in_a, text=markup
    )
    MinutesRevisionFactory(
        meeting=scene.meeting,
        number=2,
        text=f'| a |\n|---|\n| <td style="background:url({base}/td.png)">x |\n\n![x]({base}/m.png)',
    )
    for kind, subject in [
        (Document.Kind.BRIEFING, scene.programme_a),
        (Document.Kind.CONSULTATION_REPORT, scene.consultation),
        (Document.Kind.MEETING_SUMMARY, scene.meeting),
    ]:
        document = Document(kind=kind, language="sv")
        data = build_data(
            kind=kind, subject=subject, language="sv", person=scene.people["officer_a"]
        )
        html = render.render_html(document, data)
        assert "Titta här" in html or kind == Document.Kind.MEETING_SUMMARY
        pdf, _pages = pdf_writer.write_pdf(html)
        assert pdf.startswith(b"%PDF")
    assert hits == []
