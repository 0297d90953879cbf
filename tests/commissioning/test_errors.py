"""Bad input of any kind: a 4xx in the one JSON error shape, and nothing changed."""

import pytest

from commissioning.models import Event, Programme


def assert_error_shape(response, status, code=None):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) <= {"code", "message", "fields", "details"}
    assert isinstance(error["message"], str)
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


def post_programme(client, world, body, content_type="application/json"):
    return client.post(
        "/api/v1/programmes/",
        body,
        content_type=content_type,
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )


def test_malformed_json_is_refused(client_for, world):
    response = post_programme(client_for("officer_a"), world, '{"name": "x", ')
    assert_error_shape(response, 400, "parse_error")
    assert not Event.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(client_for, world):
    response = post_programme(client_for("officer_a"), world, "[1, 2, 3]")
    error = assert_error_shape(response, 400, "invalid")
    assert "non_field_errors" in error["fields"]


def test_a_body_that_is_not_json_is_refused(client_for, world):
    response = post_programme(client_for("officer_a"), world, "name=x", "text/plain")
    assert_error_shape(response, 415, "unsupported_media_type")


def test_unknown_fields_are_refused_by_name(client_for, world):
    response = post_programme(
        client_for("officer_a"), world, {"name": "x", "language": "sv", "colour": "blue"}
    )
    error = assert_error_shape(response, 400, "invalid")
    assert list(error["fields"]) == ["colour"]
    assert "colour" in error["message"]
    assert not Programme.objects.filter(name="x").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ["a", "list"]),
        ("name", ""),
        ("name", "x" * 201),
        ("language", "fr"),
        ("language", 5),
        ("framework", "lottery"),
        ("target_decision_date", "next spring"),
        ("participants", "all"),
        ("participants", [-1]),
        ("participants", [999999]),
    ],
)
def test_fields_of_the_wrong_type_or_value_are_refused(client_for, world, field, value):
    body = {"name": "Valid name", "language": "sv", field: value}
    response = post_programme(client_for("officer_a"), world, body)
    error = assert_error_shape(response, 400)
    assert field in error["fields"]
    assert not Programme.objects.filter(name="Valid name").exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("size", ["101", "100000", "0", "-5", "ten"])
def test_page_sizes_out_of_bounds_are_refused(client_for, size):
    response = client_for("manager_a").get("/api/v1/programmes/", {"page_size": size})
    error = assert_error_shape(response, 400, "invalid")
    assert "page_size" in error["fields"]


def test_a_page_past_the_end_is_a_404(client_for):
    response = client_for("manager_a").get("/api/v1/programmes/", {"page": 99})
    assert_error_shape(response, 404, "not_found")


def test_an_invalid_filter_value_is_refused(client_for):
    response = client_for("manager_a").get("/api/v1/programmes/", {"phase": "sleeping"})
    error = assert_error_shape(response, 400)
    assert "phase" in error["fields"]


def test_an_unknown_api_address_answers_json(client_for):
    response = client_for("manager_a").get("/api/v1/nothing-here/")
    assert_error_shape(response, 404, "not_found")


def test_a_method_that_does_not_exist_answers_405(client_for, world):
    response = client_for("manager_a").post("/api/v1/organisations/", {"name": "x"}, format="json")
    assert_error_shape(response, 405, "method_not_allowed")


def test_a_wrong_token_answers_401_with_the_error_shape(api, db):
    response = api.get("/api/v1/programmes/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error_shape(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"


def test_error_messages_follow_the_requested_language(client_for):
    response = client_for("manager_a").get(
        "/api/v1/programmes/", {"page_size": "1000"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    error = assert_error_shape(response, 400)
    assert "heltal" in error["fields"]["page_size"][0]
    response = client_for("manager_a").get(
        "/api/v1/programmes/", {"page_size": "1000"}, HTTP_ACCEPT_LANGUAGE="nb"
    )
    assert "heltall" in response.json()["error"]["fields"]["page_size"][0]
