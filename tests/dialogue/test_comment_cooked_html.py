"""A comment revision's sanitised HTML is rendered once, when it is written, and stored; the
API answers with the stored HTML and renders nothing on a read."""

import importlib

import pytest
from django.apps import apps

from dialogue import markdown
from dialogue.markdown import render_markdown
from dialogue.models import CommentRevision
from tests.dialogue.consultation_factories import ConsultationFactory, patch, post

BODY = "**Kvartalsvis** rapportering, se [registret](https://example.org). <script>x</script>"


@pytest.fixture
def comment(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    response = post(
        client_for("provider_in_a"),
        f"/api/v1/consultations/{consultation.pk}/comments/",
        world.provider_in_a,
        {"kind": "proposal", "body": BODY, "suggested_wording": "Kvartalsvis."},
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_submitted_comment_is_stored_with_its_html(comment):
    revision = CommentRevision.objects.get(comment_id=comment["id"])
    assert revision.body_html == render_markdown(BODY)
    assert "<strong>Kvartalsvis</strong>" in revision.body_html
    assert "<script" not in revision.body_html
    assert comment["body_html"] == revision.body_html


def test_an_edit_stores_the_html_of_its_own_text(client_for, world, comment):
    response = patch(
        client_for("provider_in_a"),
        f"/api/v1/comments/{comment['id']}/",
        world.provider_in_a,
        {"body": "Nu *månadsvis*."},
    )
    assert response.status_code == 200, response.json()
    first, second = CommentRevision.objects.filter(comment_id=comment["id"]).order_by("number")
    assert first.body_html == render_markdown(BODY)
    assert second.body_html == render_markdown("Nu *månadsvis*.")
    assert response.json()["body_html"] == second.body_html


def test_reads_answer_with_the_stored_html_and_render_nothing(
    client_for, world, comment, monkeypatch
):
    expected = render_markdown(BODY)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a read rendered Markdown")

    # Every rendering ends in the sanitiser.
    monkeypatch.setattr(markdown.nh3, "clean", no_rendering)
    client = client_for("provider_in_a")
    consultation = comment["consultation"]
    listed = client.get(f"/api/v1/consultations/{consultation}/comments/").json()["results"]
    one = client.get(f"/api/v1/comments/{comment['id']}/").json()
    revisions = client.get(f"/api/v1/comments/{comment['id']}/revisions/").json()
    assert listed[0]["body_html"] == one["body_html"] == revisions[0]["body_html"]
    assert one["body_html"] == expected


def test_a_revision_loaded_without_save_is_rendered_when_read(client_for, world, comment):
    """Rows written in bulk (COPY, bulk_create) without their HTML are still shown right."""
    CommentRevision.objects.filter(comment_id=comment["id"]).update(body_html="")
    one = client_for("provider_in_a").get(f"/api/v1/comments/{comment['id']}/").json()
    assert one["body_html"] == render_markdown(BODY)


def test_the_data_migration_cooks_the_revisions_written_before_it(comment):
    CommentRevision.objects.update(body_html="")
    migration = importlib.import_module("dialogue.migrations.0004_comment_cooked_html")
    migration.cook(apps, schema_editor=None)
    assert CommentRevision.objects.get(comment_id=comment["id"]).body_html == render_markdown(BODY)
