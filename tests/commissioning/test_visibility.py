"""Each role sees exactly what the policy says: a table over actors × objects."""

import pytest

VISIBLE_PROGRAMMES = {
    "manager_a": {"Programme A"},
    "officer_a": {"Programme A"},
    "manager_b": {"Programme B"},
    "provider_in_a": {"Programme A"},
    "provider_outside": {"Programme B"},
    "network_rep": {"Programme A"},
    "network_member": {"Programme A"},  # through its network
    "politician_a": {"Programme A"},
}


@pytest.mark.parametrize(("actor", "expected"), VISIBLE_PROGRAMMES.items())
def test_programme_list_shows_exactly_what_the_policy_allows(client_for, actor, expected):
    response = client_for(actor).get("/api/v1/programmes/")
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["results"]} == expected


@pytest.mark.parametrize(("actor", "expected"), VISIBLE_PROGRAMMES.items())
def test_programme_detail_answers_404_for_what_is_not_visible(client_for, world, actor, expected):
    for programme in (world.programme_a, world.programme_b):
        response = client_for(actor).get(f"/api/v1/programmes/{programme.pk}/")
        if programme.name in expected:
            assert response.status_code == 200
            assert response.json()["name"] == programme.name
        else:
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"


def test_missing_and_invisible_programmes_answer_alike(client_for, world):
    client = client_for("manager_b")
    invisible = client.get(f"/api/v1/programmes/{world.programme_a.pk}/")
    missing = client.get("/api/v1/programmes/999999/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()


VISIBLE_ORGANISATIONS = {
    # Purchaser staff see their own purchaser, the market of providers and networks, and
    # the political body that oversees them; never another purchaser.
    "manager_a": {
        "Region A",
        "Committee of A",
        "Provider in A",
        "Provider outside A",
        "Network in A",
        "Network member",
    },
    "manager_b": {
        "Region B",
        "Provider in A",
        "Provider outside A",
        "Network in A",
        "Network member",
    },
    "provider_in_a": {"Provider in A", "Region A", "Network in A"},
    "provider_outside": {"Provider outside A", "Region B"},
    "network_rep": {"Network in A", "Network member", "Region A", "Provider in A"},
    "network_member": {"Network member", "Network in A", "Region A", "Provider in A"},
    "politician_a": {"Committee of A", "Region A", "Provider in A", "Network in A"},
}


@pytest.mark.parametrize(("actor", "expected"), VISIBLE_ORGANISATIONS.items())
def test_organisation_list_shows_exactly_what_the_policy_allows(client_for, actor, expected):
    response = client_for(actor).get("/api/v1/organisations/?page_size=100")
    assert response.status_code == 200
    assert {o["name"] for o in response.json()["results"]} == expected


@pytest.mark.parametrize(
    "path",
    ["/api/v1/programmes/", "/api/v1/organisations/", "/api/v1/events/", "/api/v1/memberships/me/"],
)
def test_anonymous_requests_are_refused(client_for, path):
    response = client_for(None).get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_memberships_me_lists_every_role_of_the_person(client_for, world):
    response = client_for("network_member").get("/api/v1/memberships/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "network_member"
    assert [(m["organisation"]["name"], m["role"]) for m in body["memberships"]] == [
        ("Network member", "provider_representative")
    ]
