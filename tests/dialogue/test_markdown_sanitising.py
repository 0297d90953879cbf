"""Comment bodies are Markdown, stored as written and rendered to sanitised HTML: hostile
input reaches no reader's browser (nor the PDF renderer) as script."""

from html.parser import HTMLParser

import pytest

from dialogue.models import CommentRevision
from tests.dialogue.consultation_factories import ConsultationFactory, post


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of the HTML, with its attributes, as a browser's parser sees them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


HOSTILE = {
    "script tag": "<script>alert('x')</script> Hello",
    "javascript link": "[click](javascript:alert(1))",
    "javascript link, mixed case": "[click](JaVaScRiPt:alert(1))",
    "javascript autolink": "<javascript:alert(1)>",
    "javascript link, entity-encoded": "[x](&#106;avascript:alert(1))",
    "event handler": '<a href="https://example.org" onclick="alert(1)">x</a>',
    "img onerror": '<img src="x" onerror="alert(1)">',
    "markdown image with handler": '![x](https://example.org/a.png "t" onerror=alert(1))',
    "svg onload": '<svg onload="alert(1)"></svg>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "data url link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_is_rendered_harmless_and_stored_as_written(client_for, world, body):
    consultation = ConsultationFactory(programme=world.programme_a)
    client = client_for("provider_in_a")
    response = post(
        client,
        f"/api/v1/consultations/{consultation.pk}/comments/",
        world.provider_in_a,
        {"kind": "question", "body": body},
    )
    assert response.status_code == 201, response.json()
    for shown in (
        response.json()["body_html"],
        client.get(f"/api/v1/comments/{response.json()['id']}/revisions/").json()[0]["body_html"],
    ):
        tags = elements(shown)
        names = {name for name, _attrs in tags}
        assert not names & {"script", "img", "iframe", "svg"}
        for _name, attrs in tags:
            for attribute, value in attrs:
                assert not attribute.startswith("on"), shown
                assert not (value or "").strip().lower().startswith(("javascript:", "data:"))
        # What survives of raw HTML is text, escaped: never a live tag.
        assert "<script" not in shown.lower()
    # Stored raw: the sanitising is in the rendering, the record keeps what was written.
    assert CommentRevision.objects.get().body == body


def test_ordinary_markdown_keeps_its_formatting(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/consultations/{consultation.pk}/comments/",
        world.provider_in_a,
        {"kind": "support", "body": "**Bra** förslag, se [regionen](https://example.org)."},
    )
    html = response.json()["body_html"]
    assert "<strong>Bra</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
