"""The briefing pages: a politician reads their purchaser's programmes and briefings, staff
order a new briefing and follow its progress; refusals are pages with their status."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from commissioning.models import Programme
from tests.workers.document_factories import PROGRAMME_NAME, document_scene
from workers.documents import orders, render
from workers.models import Document


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_scene(world)


def signed_in(world, actor: str, **options) -> Client:
    client = Client(**options)
    client.force_login(world.people[actor])
    return client


def briefing(scene, *, language="sv", status=Document.Status.QUEUED, **fields) -> Document:
    return Document.objects.create(
        kind=Document.Kind.BRIEFING,
        purchaser=scene.purchaser_a,
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id=str(scene.programme_a.id),
        language=language,
        inputs_hash=f"{language}-{status}-{fields.get('progress', 0)}",
        status=status,
        requested_by=scene.people["officer_a"],
        acting_for=scene.purchaser_a,
        **fields,
    )


def overview(programme) -> str:
    return f"/briefings/programmes/{programme.id}/"


def order_path(programme) -> str:
    return f"/briefings/programmes/{programme.id}/order/"


def test_politician_lists_the_programmes_of_the_purchaser_their_body_oversees(scene):
    page = signed_in(scene, "politician_a").get("/briefings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert PROGRAMME_NAME in text
    assert "Programme B" not in text


def test_another_purchasers_programme_overview_is_not_found(scene):
    page = signed_in(scene, "politician_a").get(overview(scene.programme_b))
    assert page.status_code == 404
    assert "Programme B" not in page.content.decode()


def test_provider_is_refused_the_briefings(scene):
    page = signed_in(scene, "provider_in_a").get("/briefings/")
    assert page.status_code == 403
    assert "politicians who oversee it" in page.content.decode()


def test_overview_shows_phase_milestones_contracts_and_consultations(scene):
    page = signed_in(scene, "politician_a").get(overview(scene.programme_a))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Milestones met</dt><dd>1</dd>" in text
    assert "Milestones open</dt><dd>2 (1 gating)</dd>" in text
    assert "Contracts</dt><dd>1</dd>" in text
    assert scene.consultation.title in text
    assert "Latest dialogue share</dt><dd>33%" in text


def test_politician_downloads_the_latest_briefing_in_their_language(scene):
    document, _created = orders.order_document(
        actor=scene.people["officer_a"],
        acting_for=scene.purchaser_a,
        kind=Document.Kind.BRIEFING,
        subject=scene.programme_a,
        language="sv",
    )
    render.render_now(document.id)
    client = signed_in(scene, "politician_a")
    page = client.get(overview(scene.programme_a)).content.decode()
    link = f"/api/v1/documents/{document.id}/download/"
    assert f'href="{link}"' in page
    assert "Download the latest briefing" in page
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_overview_without_a_briefing_says_so_and_offers_no_download(scene):
    page = signed_in(scene, "politician_a").get(overview(scene.programme_a)).content.decode()
    assert "No briefing has been made for this programme yet." in page
    assert "Download the latest briefing" not in page


def test_politician_sees_no_order_form_and_ordering_is_refused(scene):
    client = signed_in(scene, "politician_a")
    assert "Order a new briefing" not in client.get(overview(scene.programme_a)).content.decode()
    refused = client.post(order_path(scene.programme_a), {"language": "sv"})
    assert refused.status_code == 403
    assert "cannot change anything" in refused.content.decode()
    assert not Document.objects.exists()


def test_officer_orders_a_briefing_and_is_sent_to_its_progress(scene):
    client = signed_in(scene, "officer_a")
    assert "Order a new briefing" in client.get(overview(scene.programme_a)).content.decode()
    response = client.post(order_path(scene.programme_a), {"language": "nb"})
    document = Document.objects.get()
    assert (document.kind, document.language) == (Document.Kind.BRIEFING, "nb")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?document={document.id}#progress")
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/briefings/documents/{document.id}/progress/"' in page


def test_order_language_defaults_to_the_overseeing_bodys_country(scene):
    scene.political_body_a.country = "NO"
    scene.political_body_a.save()
    page = signed_in(scene, "officer_a").get(overview(scene.programme_a)).content.decode()
    assert re.search(r'<option value="nb"[^>]*selected', page)


def test_unknown_language_is_refused_beside_the_field_and_nothing_is_ordered(scene):
    response = signed_in(scene, "officer_a").post(order_path(scene.programme_a), {"language": "de"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'aria-invalid="true"' in text
    assert "Select a valid choice" in text
    assert not Document.objects.exists()


def test_order_form_requires_the_csrf_token(scene):
    client = signed_in(scene, "officer_a", enforce_csrf_checks=True)
    refused = client.post(order_path(scene.programme_a), {"language": "sv"})
    assert refused.status_code == 403
    assert not Document.objects.exists()
    page = client.get(overview(scene.programme_a)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    accepted = client.post(
        order_path(scene.programme_a), {"language": "sv", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Document.objects.count() == 1


def test_progress_of_a_queued_briefing_keeps_polling(scene):
    document = briefing(scene, status=Document.Status.RUNNING, progress=50)
    fragment = signed_in(scene, "officer_a").get(f"/briefings/documents/{document.id}/progress/")
    text = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in text
    assert 'value="50"' in text
    assert "download" not in text


def test_progress_of_a_finished_briefing_shows_the_link_and_stops_polling(scene):
    document = briefing(scene, status=Document.Status.DONE, progress=100)
    text = (
        signed_in(scene, "politician_a")
        .get(f"/briefings/documents/{document.id}/progress/")
        .content.decode()
    )
    assert f'href="/api/v1/documents/{document.id}/download/"' in text
    assert "hx-trigger" not in text


def test_progress_of_a_failed_briefing_shows_its_message_and_stops_polling(scene):
    document = briefing(scene, status=Document.Status.FAILED, error="OSError: disk full")
    text = (
        signed_in(scene, "officer_a")
        .get(f"/briefings/documents/{document.id}/progress/")
        .content.decode()
    )
    assert "The briefing could not be made." in text
    assert "OSError: disk full" in text
    assert "hx-trigger" not in text


def test_progress_of_another_purchasers_briefing_is_not_found(scene):
    document = briefing(scene, status=Document.Status.DONE)
    fragment = signed_in(scene, "manager_b").get(f"/briefings/documents/{document.id}/progress/")
    assert fragment.status_code == 404


def test_briefing_pages_read_in_a_bounded_number_of_queries(scene, django_assert_max_num_queries):
    client = signed_in(scene, "politician_a")
    client.get("/briefings/")
    with django_assert_max_num_queries(20):
        assert client.get(overview(scene.programme_a)).status_code == 200


@pytest.mark.parametrize(
    ("language", "value", "starts"),
    [
        ("sv", "1\xa0200\xa0000,00\xa0kr", "1 januari 2027"),
        ("nb", "1\xa0200\xa0000,00\xa0SEK", "1. januar 2027"),
        ("en", "SEK1,200,000.00", "1 January 2027"),
    ],
)
def test_the_overview_lists_contracts_with_amounts_and_dates_in_the_readers_language(
    scene, language, value, starts
):
    from tests.contracts.factories import ContractFactory

    ContractFactory(programme=scene.programme_a)
    page = signed_in(scene, "politician_a").get(
        overview(scene.programme_a), HTTP_ACCEPT_LANGUAGE=language
    )
    text = page.content.decode()
    assert "Integrated respiratory service" in text
    assert value in text
    assert starts in text


def test_the_overview_leaves_out_contracts_of_another_purchaser(scene):
    from tests.contracts.factories import ContractFactory

    ContractFactory(programme=scene.programme_b, terms={"title": "Contract of region B"})
    page = signed_in(scene, "politician_a").get(overview(scene.programme_a))
    assert "Contract of region B" not in page.content.decode()
