"""The OpenAPI schema says what the server does, so a client generated from it does not send
what is refused: every request body (and every object nested in one) forbids properties it
does not list, as the server refuses unknown fields; every page size is bounded 1..100 as the
pagination enforces; and no operation documents a body property the server refuses as
unknown (sent, as purchaser A's manager, to a real object of the authorization scene).
Walked from the generated schema: a new operation is covered without anyone adding a row."""

import re

import pytest
from rest_framework.test import APIClient

from commissioning.api.pagination import BoundedPageNumberPagination
from tests.authorization.endpoints import api_schema
from tests.authorization.scene import ACTS_FOR, shared_scene
from tests.test_api_fuzzing import POOLS

SCHEMA = api_schema()
WRITES = {"post", "put", "patch", "delete"}
UNKNOWN = "Unknown field; remove it or check its spelling."


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _objects_in(schema: dict, where: str, seen: set[str]):
    """(where, schema) for every object schema in a request body, nested ones included."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name in seen:
            return
        seen = seen | {name}
        where = name
    schema = _resolve(schema)
    if schema.get("type") == "object" or "properties" in schema:
        yield where, schema
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key, []):
            yield from _objects_in(branch, where, seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _objects_in(prop, f"{where}.{name}", seen)
    if "items" in schema:
        yield from _objects_in(schema["items"], f"{where}[]", seen)


def _operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if method in WRITES | {"get"}:
                yield path, method, operation


def _bodies():
    for path, method, operation in _operations():
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            yield path, method, media_type, content["schema"]


def test_every_request_body_forbids_properties_it_does_not_list():
    open_objects = [
        f"{method.upper()} {path} ({media_type}): {where}"
        for path, method, media_type, schema in _bodies()
        for where, obj in _objects_in(schema, "body", set())
        if obj.get("additionalProperties") is not False
        and not (obj.get("additionalProperties") and not obj.get("properties"))  # a free dict
    ]
    assert len(list(_bodies())) > 50
    assert open_objects == []


def test_every_page_size_is_bounded_as_the_server_bounds_it():
    largest = BoundedPageNumberPagination.max_page_size
    sizes = {
        f"{path}": parameter["schema"]
        for path, method, operation in _operations()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "page_size"
    }
    assert len(sizes) > 15
    wrong = {
        path: s for path, s in sizes.items() if (s.get("minimum"), s.get("maximum")) != (1, largest)
    }
    assert wrong == {}


def _strings_in(schema: dict, where: str, seen: set[str]):
    """(where, schema) for every string a request body takes, nested and in lists."""
    for place, obj in _objects_in(schema, where, seen):
        for name, prop in obj.get("properties", {}).items():
            prop = _resolve(prop)
            while prop.get("type") == "array":
                prop = _resolve(prop.get("items", {}))
            if prop.get("type") == "string":
                yield f"{place}.{name}", prop


def test_every_text_the_api_takes_says_it_holds_no_nul_character():
    """PostgreSQL stores no NUL: the server refuses it (400), and the schema says so."""
    texts = [
        (f"{method.upper()} {path} {where}", prop)
        for path, method, _media_type, schema in _bodies()
        for where, prop in _strings_in(schema, "body", set())
    ] + [
        (f"{method.upper()} {path} ?{parameter['name']}", parameter["schema"])
        for path, method, operation in _operations()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter.get("schema", {}).get("type") == "string"
    ]
    assert len(texts) > 100
    unsaid = [
        where
        for where, prop in texts
        if not {"enum", "format"} & set(prop) and not _refuses_nul(prop.get("pattern"))
    ]
    assert unsaid == []


def _refuses_nul(pattern: str | None) -> bool:
    """The schema's NO_NUL, or a field's own pattern that matches no text with a NUL in it
    (a clause key: digits and dots): tried on a NUL before, inside and after what it takes."""
    if pattern == "^[^\\u0000]*$":
        return True
    if pattern is None:
        return False
    return not any(re.search(pattern, text) for text in ("\x00", "4\x00", "\x004", "4.\x002a"))


def test_the_schema_says_what_the_server_requires():
    def body(path, method):
        content = SCHEMA["paths"][path][method]["requestBody"]["content"]
        return _resolve(content["application/json"]["schema"])

    # PATCH bodies validated whole require what the server requires.
    assert body("/api/v1/rulebooks/{id}/", "patch")["required"] == ["title"]
    assert body("/api/v1/rulebook-versions/{id}/", "patch")["required"] == ["summary"]
    assert body("/api/v1/comments/{id}/", "patch")["required"] == ["body"]
    # A new contract version takes the latest terms for what it leaves out: only the change
    # summary is required (tests/contracts/test_versions.py sends just that).
    assert body("/api/v1/contracts/{id}/versions/", "post")["required"] == ["change_summary"]
    # Empty PATCH bodies the server refuses.
    for path in ["/api/v1/clauses/{id}/", "/api/v1/consultations/{id}/", "/api/v1/contracts/{id}/"]:
        assert body(path, "patch")["minProperties"] == 1, path
    # Each document address orders its one kind.
    kind = _resolve(body("/api/v1/meetings/{id}/documents/", "post")["properties"]["kind"])
    assert _resolve(kind["allOf"][0])["enum"] == ["meeting_summary"]
    # Version numbers start at 1; an agenda item lasts a minute or more.
    diff = SCHEMA["paths"]["/api/v1/contracts/{id}/versions/diff/"]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("minimum") for p in diff if p["name"] in ("from", "to")} == {
        "from": 1,
        "to": 1,
    }
    minutes = body("/api/v1/agenda-items/", "post")["properties"]["planned_minutes"]
    assert (minutes["minimum"], minutes["maximum"]) == (1, 24 * 60)
    # A file's address has one representation: no ?format= to choose another.
    for path in ["/api/v1/calendar/{token}.ics", "/api/v1/documents/{id}/download/"]:
        names = [p["name"] for p in SCHEMA["paths"][path]["get"].get("parameters", [])]
        assert "format" not in names, path


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_scene(django_db_blocker, tmp_path_factory.mktemp("media")) as (world, ids):
        yield world, {**ids, "version_number_1": 1, "version_number_2": 2}


def _url(path: str, ids: dict) -> str:
    resource = path.strip("/").split("/")[2]
    for segment in path.split("/"):
        if segment.startswith("{"):
            name = segment.strip("{}")
            pool = POOLS.get(f"{resource}.{name}") or POOLS.get(resource)
            path = path.replace(segment, str(ids[pool[0]]))
    return path


DOCUMENTED = [
    pytest.param(path, method, schema, id=f"{method.upper()} {path}")
    for path, method, media_type, schema in _bodies()
    if media_type == "application/json" and _resolve(schema).get("properties")
]
reached: dict[str, int] = {}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "schema"), DOCUMENTED)
def test_no_operation_documents_a_body_property_the_server_refuses(scene, path, method, schema):
    world, ids = scene
    client = APIClient()
    client.force_authenticate(world.people["manager_a"])
    body = dict.fromkeys(_resolve(schema)["properties"])
    answer = getattr(client, method)(
        _url(path, ids), body, format="json", HTTP_X_ACTING_FOR=str(ids[ACTS_FOR["manager_a"]])
    )
    data = answer.json() if answer.content else {}
    fields = data.get("error", {}).get("fields", {}) if isinstance(data, dict) else {}
    refused = sorted(name for name, problems in fields.items() if UNKNOWN in problems)
    assert refused == [], f"{method.upper()} {path} documents {refused}, refused as unknown"
    # The body reached validation (its fields were judged), or was accepted.
    reached[f"{method} {path}"] = answer.status_code < 300 or bool(fields)


def test_the_bodies_sent_mostly_reached_validation():
    if not reached:
        pytest.skip("the body tests were not run")
    missed = sorted(name for name, ok in reached.items() if not ok)
    print(f"\n{len(reached) - len(missed)} of {len(reached)} bodies reached validation")
    assert len(missed) <= len(reached) // 5, missed
