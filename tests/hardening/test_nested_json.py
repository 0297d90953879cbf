"""A JSON body nested deeper than JSON_MAX_DEPTH is refused with 400 in the error shape,
saying what to fix, on every JSON endpoint: signed in or not, before anything recurses
through it (the parser, the serializers, the error handler)."""

import json

import pytest
from rest_framework.test import APIClient

from commissioning.models import Programme

pytestmark = pytest.mark.django_db


def nested(depth: int, inner=None):
    """`depth` arrays inside one another, written without recursion."""
    return "[" * depth + json.dumps(inner) + "]" * depth


def post_json(client, path, text, **headers):
    return client.generic("POST", path, text, content_type="application/json", **headers)


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_the_token_endpoint_refuses_a_deeply_nested_body_with_400(depth):
    response = post_json(APIClient(), "/api/v1/auth/token/", nested(depth))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "too_deep"
    assert "64" in error["message"]
    assert "levels deep" in error["message"]


def test_a_deeply_nested_field_of_a_signed_in_write_is_refused_and_nothing_saved(client_for, world):
    body = '{"name": "Deep", "language": "sv", "framework": "se_care_choice", "x": '
    body += nested(5_000) + "}"
    response = post_json(
        client_for("officer_a"),
        "/api/v1/programmes/",
        body,
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"
    assert not Programme.objects.filter(name="Deep").exists()


def test_objects_count_as_levels_as_arrays_do():
    text = '{"a": ' * 70 + "1" + "}" * 70
    response = post_json(APIClient(), "/api/v1/auth/token/", text)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({"username": "[" * 100, "password": "{" * 500})
    response = post_json(APIClient(), "/api/v1/auth/token/", text)
    assert response.status_code == 400
    assert response.json()["error"]["code"] != "too_deep"


def test_a_body_at_the_limit_is_read_as_usual(client_for, world):
    body = {"name": "Sixty-four", "language": "sv", "framework": "se_care_choice"}
    text = json.dumps(body)[:-1] + ', "note": ' + nested(63) + "}"
    response = post_json(
        client_for("officer_a"),
        "/api/v1/programmes/",
        text,
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    # Read, then refused for what it says: the unknown field, not the depth.
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "note": ["Unknown field; remove it or check its spelling."]
    }


def test_malformed_json_still_says_it_is_malformed():
    response = post_json(APIClient(), "/api/v1/auth/token/", '{"username": ')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_every_api_view_reads_json_with_the_depth_limit():
    from django.urls import URLPattern, URLResolver, get_resolver

    from commissioning.api.parsers import DepthLimitedJSONParser

    def views(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from views(entry)
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "cls", None)
                if view_class is not None:
                    yield view_class

    unlimited = sorted(
        {
            f"{view_class.__module__}.{view_class.__name__}"
            for view_class in views(get_resolver())
            for parser in view_class().get_parsers()
            if "json" in parser.media_type and not isinstance(parser, DepthLimitedJSONParser)
        }
    )
    assert not unlimited


def test_the_message_follows_the_language_asked_for():
    response = post_json(APIClient(), "/api/v1/auth/token/", nested(100), HTTP_ACCEPT_LANGUAGE="sv")
    assert "nivåer" in response.json()["error"]["message"]
