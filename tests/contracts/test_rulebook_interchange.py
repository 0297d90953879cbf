"""Rulebooks in and out of Word and OpenDocument (issue 20): a 120-clause rulebook made here
with python-docx (numbers typed) and odfpy (numbered by the word processor) imports to the
right keys; a second edition, renumbered, keeps each clause's lineage so that the diff shows
moved and changed clauses; a version exported as .docx imports back to the same clauses."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import RulebookVersion
from tests.contracts import rulebook_documents as documents
from tests.contracts.rulebook_factories import RulebookFactory

Status = RulebookVersion.Status
MAKERS = {"docx": documents.docx_typed, "odt": documents.odt_automatic}


def upload(client, world, rulebook, name, content, *, preview=False, language="en"):
    address = f"/api/v1/rulebooks/{rulebook.pk}/import/" + ("preview/" if preview else "")
    return client.post(
        address,
        {"file": SimpleUploadedFile(name, content), "summary": "Imported"},
        format="multipart",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def clauses_of(version):
    return [(c.key, c.heading, c.text) for c in version.clauses.order_by("position")]


@pytest.fixture
def rulebook(world):
    return RulebookFactory(programme=world.programme_a, title="Regelbok hemtjänst")


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_rulebook_of_120_numbered_clauses_imports_to_its_keys(client_for, world, rulebook, kind):
    content = MAKERS[kind](documents.first_edition())
    officer = client_for("officer_a")
    preview = upload(officer, world, rulebook, f"regelbok.{kind}", content, preview=True)
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert len(body["clauses"]) == 120
    assert {c["status"] for c in body["clauses"]} == {"new"}
    assert body["notes"][0]["kind"] == "before_first_clause"
    assert not RulebookVersion.objects.filter(rulebook=rulebook).exists()  # nothing saved

    saved = upload(officer, world, rulebook, f"regelbok.{kind}", content)
    assert saved.status_code == 201, saved.json()
    version = RulebookVersion.objects.get(pk=saved.json()["id"])
    assert (version.number, version.status, version.summary) == (1, Status.DRAFT, "Imported")
    assert clauses_of(version) == documents.expected(documents.first_edition())
    two_two = version.clauses.get(key="2.2").text
    assert "- a nurse on call\n- a doctor within one hour" in two_two
    assert "| Level | Hours |\n| --- | --- |\n| Basic | 8 |" in two_two


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_a_renumbered_second_edition_keeps_each_clause_lineage(client_for, world, rulebook, kind):
    officer = client_for("officer_a")
    first = upload(officer, world, rulebook, f"v1.{kind}", MAKERS[kind](documents.first_edition()))
    v1 = RulebookVersion.objects.get(pk=first.json()["id"])
    RulebookVersion.objects.filter(pk=v1.pk).update(status=Status.CONSULTATION_CLOSED)
    content = MAKERS[kind](documents.second_edition())

    preview = upload(officer, world, rulebook, f"v2.{kind}", content, preview=True).json()
    statuses = {c["key"]: (c["status"], c["old_key"]) for c in preview["clauses"]}
    assert statuses["3.2"] == ("moved", "3.3")
    assert statuses["5.4"] == ("changed", "5.4")
    assert statuses["7.10"] == ("new", None)
    assert preview["removed"] == [{"key": "3.2", "heading": "Rule on opening hours"}]

    saved = upload(officer, world, rulebook, f"v2.{kind}", content)
    assert saved.status_code == 201, saved.json()
    v2 = RulebookVersion.objects.get(pk=saved.json()["id"])
    assert v2.based_on == v1
    diff = officer.get(f"/api/v1/rulebook-versions/{v2.pk}/diff/", {"against": v1.pk}).json()
    moved = {(m["old_key"], m["key"]) for m in diff["moved"]}
    assert moved == {(f"3.{n}", f"3.{n - 1}") for n in range(3, 10)}
    assert all(m["changes"] == [] for m in diff["moved"])
    assert [c["key"] for c in diff["changed"]] == ["5.4"]
    words = diff["changed"][0]["changes"][0]["words"]
    assert {"op": "insert", "text": "must "} in words
    assert [a["key"] for a in diff["added"]] == ["7.10"]
    assert [r["key"] for r in diff["removed"]] == ["3.2"]
    assert diff["unchanged"] == 120 - 1 - 7 - 1


def test_a_version_exported_as_docx_imports_back_to_the_same_clauses(client_for, world, rulebook):
    officer = client_for("officer_a")
    first = upload(
        officer, world, rulebook, "v1.odt", documents.odt_automatic(documents.first_edition())
    )
    v1 = RulebookVersion.objects.get(pk=first.json()["id"])
    exported = officer.get(f"/api/v1/rulebook-versions/{v1.pk}/docx/", HTTP_ACCEPT_LANGUAGE="nb")
    assert exported.status_code == 200
    assert exported["Content-Disposition"].endswith('-v1.docx"')
    title = docx.Document(io.BytesIO(exported.content)).paragraphs[0].text
    assert title == "Regelbok hemtjänst, versjon 1"
    RulebookVersion.objects.filter(pk=v1.pk).update(status=Status.CONSULTATION_CLOSED)

    again = upload(officer, world, rulebook, "export.docx", exported.content, preview=True)
    assert again.status_code == 200, again.json()
    found = [(c["key"], c["heading"], c["text"]) for c in again.json()["clauses"]]
    assert found == clauses_of(v1)
    assert {c["status"] for c in again.json()["clauses"]} == {"unchanged"}
