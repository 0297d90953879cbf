"""The API's answers that are files (the PDF download, the comments CSV, the meeting's and the
personal calendar) reach every client, whatever it accepts: its own media type (what a PDF
reader or a calendar sends), `*/*`, a browser's Accept, none at all. A refusal at such an
address stays JSON in the one error shape, labelled so, whatever was asked for. And the
schema documents each file's media type. The addresses are read from the URL conf (every
FileView), so a new file answer is covered without anyone adding a row."""

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from commissioning.api.base import FileView
from tests.authorization.endpoints import api_schema, normalise
from tests.authorization.scene import shared_scene

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Each file address: its media type, the scene's object it answers for, one not there.
ADDRESSES = {
    "/api/v1/documents/{pk}/download/": ("application/pdf", "document", 999_999),
    "/api/v1/consultations/{pk}/comments.csv": ("text/csv", "consultation_open", 999_999),
    "/api/v1/meetings/{pk}/ics/": ("text/calendar", "meeting_planned", 999_999),
    "/api/v1/calendar/{token}.ics": ("text/calendar", "calendar_token", "no-such-feed-token-00"),
    # A rulebook version as .docx, and the redline from the version before it.
    "/api/v1/rulebook-versions/{pk}/docx/": (DOCX, "version_draft", 999_999),
    "/api/v1/rulebook-versions/{pk}/redline/": (DOCX, "version_unconsulted", 999_999),
    # An uploaded evidence document (the scene's is a PDF) of the scene's milestone.
    "/api/v1/milestones/{pk}/evidence/{evidence_pk}/download/": (
        "application/pdf",
        "evidence_document",
        999_999,
    ),
}
# Addresses whose files are of any type: the view's negotiation type and the schema's.
ANY_TYPE = {"/api/v1/milestones/{pk}/evidence/{evidence_pk}/download/"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _file_views() -> dict[str, type[FileView]]:
    """Address -> view, for every FileView of the URL conf."""
    found = {}

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif issubclass(getattr(entry.callback, "view_class", object), FileView):
                found[normalise(prefix + str(entry.pattern))] = entry.callback.view_class

    walk(get_resolver(), "")
    return found


FILE_VIEWS = _file_views()
ACCEPTS = ["{type}", "{type}; charset=utf-8", "*/*", BROWSER, None, "application/json"]
CASES = [
    pytest.param(address, accept, id=f"{address} Accept: {accept}")
    for address in ADDRESSES
    for accept in ACCEPTS
]
# What each file starts with: the PDF's magic number, the CSV's byte-order mark, iCalendar.
STARTS = {
    DOCX: b"PK",
    "application/pdf": b"%PDF",
    "text/csv": b"\xef\xbb\xbf",
    "text/calendar": b"BEGIN:",
}


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


def _get(scene, address, name, accept):
    world, ids = scene
    client = APIClient()
    client.force_authenticate(world.people["manager_a"])
    value = ids.get(name, name)
    if "{evidence_pk}" in address:  # the evidence (or none) of the scene's milestone
        url = address.replace("{pk}", str(ids["milestone"]))
        url = url.replace("{evidence_pk}", str(value))
    else:
        url = address.replace("{pk}", str(value)).replace("{token}", str(value))
    media_type = ADDRESSES[address][0]
    headers = {} if accept is None else {"HTTP_ACCEPT": accept.format(type=media_type)}
    return client.get(url, **headers)


def test_every_file_view_of_the_url_conf_is_walked_with_its_type():
    assert {address: view.media_type for address, view in FILE_VIEWS.items()} == {
        address: "application/octet-stream" if address in ANY_TYPE else media_type
        for address, (media_type, *_objects) in ADDRESSES.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "accept"), CASES)
def test_the_file_answers_whatever_the_client_accepts(scene, address, accept):
    answer = _get(scene, address, ADDRESSES[address][1], accept)
    assert answer.status_code == 200, answer.content[:300]
    media_type = ADDRESSES[address][0]
    assert answer["Content-Type"].split(";")[0] == media_type
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    assert body.startswith(STARTS[media_type])


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "accept"), CASES)
def test_a_refusal_at_a_file_address_is_json(scene, address, accept):
    answer = _get(scene, address, ADDRESSES[address][2], accept)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["error"]["code"] == "not_found"


def _schema_files() -> dict[str, str]:
    """Each operation of the schema answering 200 with something other than JSON."""
    files = {}
    for path, operations in api_schema()["paths"].items():
        for operation in operations.values():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            types = [t for t in content if t != "application/json"]
            if types:
                files[path] = types[0]
    return files


def test_the_schema_documents_each_file_type_and_json_refusals():
    schema = api_schema()
    expected = {
        address.replace("{pk}", "{id}"): "*/*" if address in ANY_TYPE else spec[0]
        for address, spec in ADDRESSES.items()
    }
    assert _schema_files() == expected
    for path in expected:
        for status, response in schema["paths"][path]["get"]["responses"].items():
            if status != "200":
                assert list(response.get("content", {})) == ["application/json"], (path, status)
