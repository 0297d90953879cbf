"""What the API fuzzing found in the OpenAPI schema and the file endpoints, pinned down one
by one: refusals documented in the error shape, string fields documented as strings, people
that may be gone documented as nullable, and refusals of file endpoints sent as JSON."""

import pytest

from tests.authorization.endpoints import PUBLIC, api_schema

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
WRITE_METHODS = {"post", "put", "patch", "delete"}
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def openapi():
    return api_schema()


def _operations(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _error_ref(response):
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_documents_its_refusals_in_the_error_shape(openapi):
    for path, method, operation in _operations(openapi):
        responses = operation["responses"]
        expected = {"400", "404"}
        if path not in PUBLIC:
            expected |= {"401", "403"}
        if method in WRITE_METHODS:
            expected |= {"409", "429"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected - {"409"}:
            assert _error_ref(responses[status]) == ERROR_REF, (method, path, status)


def test_the_error_shape_is_documented_with_code_and_message(openapi):
    detail = openapi["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    assert detail["properties"]["code"] == {
        "type": "string",
        "description": "Machine-readable, e.g. `invalid`, `not_found`.",
    }


def test_plain_string_fields_are_not_documented_as_an_enum(openapi):
    """The inline enums of the response serializers once annotated rest_framework's CharField
    itself, so every string of the API was documented as unchanged/changed/moved/removed."""
    name = openapi["components"]["schemas"]["Programme"]["properties"]["name"]
    assert name["type"] == "string"
    assert "enum" not in name
    assert "allOf" not in name


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("ContractVersion", "created_by"),
        ("RulebookVersion", "created_by"),
        ("MinutesRevision", "written_by"),
        ("Concern", "raised_by_person"),
        ("Event", "actor"),
    ],
)
def test_a_person_who_may_be_gone_is_documented_as_nullable(openapi, component, field):
    assert openapi["components"]["schemas"][component]["properties"][field]["nullable"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/999999/ics/?format=ics",
        "/api/v1/consultations/999999/comments.csv?format=csv",
        "/api/v1/calendar/no-such-feed-token-0000.ics?format=ics",
    ],
)
def test_a_refused_file_download_answers_json_labelled_json(client_for, path):
    response = client_for("manager_a").get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
