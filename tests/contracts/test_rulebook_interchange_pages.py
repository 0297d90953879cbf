"""The page of a rulebook's files: the import's preview saves nothing, the save makes the
draft, a refused file comes back 400 with the message on the form in the person's language,
and someone who is not the purchaser's staff gets 403; every reader downloads .docx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contracts.models import RulebookVersion
from tests.contracts import rulebook_documents as documents
from tests.contracts.rulebook_factories import RulebookFactory


def _client(world, actor, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.people[actor])
    return client


@pytest.fixture
def rulebook(world):
    return RulebookFactory(programme=world.programme_a, title="Regelbok")


def test_preview_then_save_makes_the_draft(world, rulebook):
    officer = _client(world, "officer_a")
    content = documents.odt_automatic(documents.first_edition())
    preview = officer.post(
        f"/rulebooks/{rulebook.pk}/files/",
        {"file": SimpleUploadedFile("regelbok.odt", content), "summary": "From Word"},
    )
    assert preview.status_code == 200
    assert not RulebookVersion.objects.filter(rulebook=rulebook).exists()
    assert "Version 1 would have 120 clauses" in preview.content.decode()
    saved = officer.post(
        f"/rulebooks/{rulebook.pk}/files/save/", {"token": preview.context["token"]}
    )
    assert saved.status_code == 302
    version = RulebookVersion.objects.get(rulebook=rulebook)
    assert (version.clauses.count(), version.summary) == (120, "From Word")
    download = _client(world, "provider_in_a").get(f"/rulebook-versions/{version.pk}/download.docx")
    assert download.status_code == 200
    assert download.content.startswith(b"PK")


def test_a_refused_file_comes_back_on_the_form_in_the_persons_language(world, rulebook):
    officer = _client(world, "officer_a")
    officer.cookies["django_language"] = "nb"
    answer = officer.post(
        f"/rulebooks/{rulebook.pk}/files/",
        {"file": SimpleUploadedFile("regelbok.pdf", b"%PDF-1.7")},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert answer.status_code == 400
    assert "Velg en Word-fil (.docx)" in answer.content.decode()
    tampered = officer.post(f"/rulebooks/{rulebook.pk}/files/save/", {"token": "x:y"})
    assert tampered.status_code == 400
    assert not RulebookVersion.objects.filter(rulebook=rulebook).exists()


def test_only_the_purchasers_staff_import(world, rulebook):
    content = b"## 1 Scope\n\nAll.\n"
    for actor, status in [("provider_in_a", 403), ("politician_a", 403), ("manager_b", 404)]:
        answer = _client(world, actor).post(
            f"/rulebooks/{rulebook.pk}/files/", {"file": SimpleUploadedFile("r.md", content)}
        )
        assert answer.status_code == status, actor
    assert not RulebookVersion.objects.filter(rulebook=rulebook).exists()
