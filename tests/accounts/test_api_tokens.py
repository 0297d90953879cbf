"""Named API tokens: made with a name (the secret shown once and kept nowhere), listed with
their last use, revoked (401 at once); refused for a person who may no longer sign in; and
the token endpoint, which makes one from a password, refused for a person with two-factor."""

import io
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.authentication import LAST_USED_PRECISION
from accounts.models import ApiToken
from commissioning.models import Event, Membership

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def make(client_for, actor="manager_a", name="Reporting script"):
    return client_for(actor).post("/api/v1/api-tokens/", {"name": name}, format="json")


def everything_stored() -> str:
    """Every row of every table the application has, as JSON."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_a_named_token_is_made_and_its_secret_works(client_for):
    response = make(client_for)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Reporting script"
    assert body["token"].startswith(body["prefix"])
    assert body["last_used_at"] is None
    me = with_token(body["token"]).get("/api/v1/memberships/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "manager_a"


def test_the_secret_is_in_no_event_and_nowhere_in_the_database(client_for, world):
    secret = make(client_for).json()["token"]
    token = ApiToken.objects.get()
    assert secret not in everything_stored()
    client_for("manager_a").delete(f"/api/v1/api-tokens/{token.id}/")
    events = list(Event.objects.order_by("id").values("verb", "before", "after"))
    assert [event["verb"] for event in events] == ["api_token.created", "api_token.revoked"]
    assert events[0]["after"]["name"] == events[1]["before"]["name"] == "Reporting script"
    stored = everything_stored()
    assert secret not in stored
    # Nor the digest, from which nothing follows but which is no one's business either.
    assert token.digest not in stored


def test_the_list_shows_name_prefix_and_last_use_of_my_own_tokens_only(client_for, world):
    secret = make(client_for, name="Mine").json()["token"]
    make(client_for, actor="manager_b", name="Not mine")
    with_token(secret).get("/api/v1/programmes/")
    listed = client_for("manager_a").get("/api/v1/api-tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["Mine"]
    row = listed[0]
    assert set(row) == {"id", "name", "prefix", "created_at", "last_used_at"}
    assert secret.startswith(row["prefix"])
    assert row["last_used_at"] is not None


def test_last_use_is_written_at_most_once_a_minute(client_for):
    secret = make(client_for).json()["token"]
    token = ApiToken.objects.get()
    recently = timezone.now() - LAST_USED_PRECISION / 2
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    with_token(secret).get("/api/v1/memberships/me/")
    token.refresh_from_db()
    assert token.last_used_at == recently
    long_ago = timezone.now() - LAST_USED_PRECISION - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    with_token(secret).get("/api/v1/memberships/me/")
    token.refresh_from_db()
    assert token.last_used_at > long_ago + LAST_USED_PRECISION


def test_a_token_used_within_the_minute_costs_one_query_to_authenticate(client_for):
    """The token's row (with its person) is the one query: no UPDATE of its last use while
    the last use read with it is that recent, and whether the person may still sign in is
    read from the standing the permission check loads anyway."""
    secret = make(client_for).json()["token"]
    client = with_token(secret)
    assert client.get("/api/v1/memberships/me/").status_code == 200  # stamps its last use
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/memberships/me/").status_code == 200
    statements = [query["sql"] for query in captured]
    assert sum("accounts_apitoken" in sql for sql in statements) == 1, statements
    assert not [sql for sql in statements if sql.startswith("UPDATE")], statements
    # An EXISTS of the person's memberships of its own (may_sign_in) is not among them.
    exists = [sql for sql in statements if sql.startswith('SELECT 1 AS "a" FROM "commissioning_m')]
    assert not exists, statements


def test_a_revoked_token_answers_401_at_once(client_for):
    secret = make(client_for).json()["token"]
    client = with_token(secret)
    assert client.get("/api/v1/programmes/").status_code == 200
    token = ApiToken.objects.get()
    assert client.delete(f"/api/v1/api-tokens/{token.id}/").status_code == 204
    refused = client.get("/api/v1/programmes/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_another_persons_token_cannot_be_revoked_and_answers_as_missing(client_for):
    secret = make(client_for, actor="manager_b").json()["token"]
    token = ApiToken.objects.get()
    events = Event.objects.count()
    refused = client_for("manager_a").delete(f"/api/v1/api-tokens/{token.id}/")
    missing = client_for("manager_a").delete(f"/api/v1/api-tokens/{token.id + 1000}/")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert Event.objects.count() == events
    assert with_token(secret).get("/api/v1/programmes/").status_code == 200


def test_a_token_of_a_person_with_no_membership_left_answers_401(client_for, world):
    secret = make(client_for, actor="provider_in_a").json()["token"]
    Membership.objects.filter(person=world.people["provider_in_a"]).delete()
    refused = with_token(secret).get("/api/v1/programmes/")
    assert refused.status_code == 401
    assert "no longer belongs to any organisation" in refused.json()["error"]["message"]


def test_a_token_of_an_inactive_person_answers_401(client_for, world):
    secret = make(client_for).json()["token"]
    world.people["manager_a"].is_active = False
    world.people["manager_a"].save()
    assert with_token(secret).get("/api/v1/programmes/").status_code == 401


@pytest.mark.parametrize(
    ("name", "field_message"),
    [("   ", "may not be blank"), ("x" * 101, "Ensure this field has no more than 100")],
)
def test_a_token_needs_a_name_of_at_most_100_characters(client_for, name, field_message):
    response = make(client_for, name=name)
    assert response.status_code == 400
    assert field_message in response.json()["error"]["fields"]["name"][0]
    assert not ApiToken.objects.exists()
    assert not Event.objects.exists()


def test_a_politician_makes_and_revokes_tokens_of_their_own(client_for):
    response = make(client_for, actor="politician_a")
    assert response.status_code == 201
    token_id = response.json()["id"]
    deleted = client_for("politician_a").delete(f"/api/v1/api-tokens/{token_id}/")
    assert deleted.status_code == 204


# --- the token endpoint ------------------------------------------------------------------


@pytest.fixture
def manager(world):
    person = world.people["manager_a"]
    person.set_password(PASSWORD)
    person.save()
    return person


def sign_in(body, **extra):
    return APIClient().post("/api/v1/auth/token/", body, format="json", **extra)


def test_the_token_endpoint_makes_a_named_token(manager):
    response = sign_in({"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Signed in through the API"
    assert with_token(body["token"]).get("/api/v1/programmes/").status_code == 200
    named = sign_in({"username": "manager_a", "password": PASSWORD, "name": "Nightly export"})
    assert named.json()["name"] == "Nightly export"
    assert ApiToken.objects.filter(person=manager).count() == 2


def test_the_token_endpoint_takes_the_email_address_as_the_user_name(manager):
    response = sign_in({"username": manager.email, "password": PASSWORD})
    assert response.status_code == 200


def test_the_token_endpoint_refuses_a_password_alone_for_a_person_with_two_factor(manager):
    TOTP.activate(manager, generate_totp_secret())
    response = sign_in({"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "two_factor_enabled"
    assert "profile page" in error["message"]
    assert error["details"]["profile"].endswith("/profile/")
    assert not ApiToken.objects.exists()
    assert not Event.objects.exists()


def test_the_two_factor_refusal_comes_only_after_the_right_password(manager):
    TOTP.activate(manager, generate_totp_secret())
    response = sign_in({"username": "manager_a", "password": "not the password"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_the_token_endpoint_refuses_a_person_with_no_membership_left(manager):
    Membership.objects.filter(person=manager).delete()
    response = sign_in({"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_membership"
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_ignores_a_revoked_token_in_the_header(manager):
    response = sign_in(
        {"username": "manager_a", "password": PASSWORD}, HTTP_AUTHORIZATION="Token revoked"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "words"), [("sv", "profilsida"), ("nb", "profilsiden"), ("en", "profile page")]
)
def test_the_two_factor_refusal_is_in_the_language_asked_for(manager, language, words):
    TOTP.activate(manager, generate_totp_secret())
    response = sign_in(
        {"username": "manager_a", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert words in response.json()["error"]["message"]
