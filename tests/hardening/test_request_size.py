"""Request sizes: API bodies are JSON (milestone evidence too: links and references), so a
body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 in the JSON error shape before it
is read; the one upload, an evidence document in the admin, may be EVIDENCE_MAX_UPLOAD_MB."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import MilestoneEvidence
from tests.commissioning.milestone_factories import MilestoneFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024


@pytest.fixture
def milestone(world):
    return MilestoneFactory(programme=world.programme_a)


def add_link_evidence(client, world, milestone, title):
    return client.post(
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        json.dumps({"kind": "link", "title": title, "url": "https://example.org/minutes"}),
        content_type="application/json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def test_an_api_body_over_the_limit_is_refused_with_413_naming_the_limit(
    client_for, world, milestone, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = add_link_evidence(client_for("officer_a"), world, milestone, "x" * 2000)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "at most 1000\xa0bytes" in error["message"]
    assert error["details"] == {"limit_bytes": 1000}
    assert not MilestoneEvidence.objects.exists()


def test_an_api_body_within_the_limit_is_accepted(client_for, world, milestone, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = add_link_evidence(client_for("officer_a"), world, milestone, "Minutes")
    assert response.status_code == 201, response.content


def admin_client(client):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def upload_evidence(client, milestone, size):
    document = SimpleUploadedFile("minutes.pdf", b"%" * size, content_type="application/pdf")
    return client.post(
        f"/admin/commissioning/milestone/{milestone.pk}/change/",
        {"evidence-0-document": document, "evidence-TOTAL_FORMS": "1"},
    )


def test_an_evidence_document_over_the_upload_limit_is_refused_with_413(
    client, milestone, settings
):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    response = upload_evidence(admin_client(client), milestone, MEGABYTE + 1)
    assert response.status_code == 413
    assert "1.0\xa0MB" in response.content.decode()
    assert not MilestoneEvidence.objects.exists()


def test_an_upload_counts_against_the_upload_limit_not_the_body_limit(client, milestone, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = upload_evidence(admin_client(client), milestone, MEGABYTE // 2)
    assert response.status_code != 413


@pytest.mark.parametrize(
    ("language", "words"), [("en", "this server accepts at most"), ("sv", "servern tar emot")]
)
def test_a_413_speaks_the_language_of_its_own_request(
    client_for, world, milestone, settings, language, words
):
    """The size is checked before LocaleMiddleware; the answer must not borrow the language
    an earlier request left active on the same thread."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for("officer_a")
    other = "sv" if language == "en" else "en"
    client.get("/api/v1/programmes/", HTTP_ACCEPT_LANGUAGE=other)
    response = client.post(
        f"/api/v1/milestones/{milestone.pk}/evidence/",
        json.dumps({"kind": "link", "title": "x" * 2000, "url": "https://example.org/"}),
        content_type="application/json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 413
    assert words in response.json()["error"]["message"]
