"""The test session's OpenID Connect provider speaks the protocol the product relies on:
discovery, authorisation code with PKCE (required), token, RS256 ID token, userinfo and
RP-initiated logout. The product's own sign-in tests (test_sign_in.py) stand on these."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from jwcrypto import jwk, jwt

from tests.oidc_provider.server import Client
from tests.sso.conftest import ALMA

REDIRECT_URI = "http://127.0.0.1:9/callback"  # never reached: the code is read from Location
CLIENT = Client("protocol-check", "protocol-secret", [REDIRECT_URI], [REDIRECT_URI])


@pytest.fixture(scope="module")
def client(oidc_provider):
    oidc_provider.seed(clients=[CLIENT])
    return CLIENT


def discovery(provider) -> dict:
    return requests.get(provider.discovery_url, timeout=10).json()


def signed_in_at_provider(provider, user) -> requests.Session:
    browser = requests.Session()
    login = f"{provider.origin}/login/"
    browser.get(login, timeout=10)
    answer = browser.post(
        login,
        data={
            "username": user.username,
            "password": user.password,
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    return browser


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(browser, provider, client, **extra) -> requests.Response:
    parameters = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": "state-1",
        "nonce": "nonce-1",
        **extra,
    }
    endpoint = discovery(provider)["authorization_endpoint"]
    return browser.get(f"{endpoint}?{urlencode(parameters)}", allow_redirects=False, timeout=10)


def test_discovery_names_the_issuer_endpoints_and_s256(oidc_provider):
    document = discovery(oidc_provider)

    assert document["issuer"] == oidc_provider.issuer
    for endpoint in ("authorization", "token", "userinfo", "end_session"):
        assert document[f"{endpoint}_endpoint"].startswith(oidc_provider.issuer + "/")
    assert "RS256" in document["id_token_signing_alg_values_supported"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "email", "profile"} <= set(document["scopes_supported"])


def test_authorisation_code_with_pkce_gives_a_signed_id_token_and_userinfo(oidc_provider, client):
    browser = signed_in_at_provider(oidc_provider, ALMA)
    verifier, challenge = pkce_pair()

    answer = authorize(
        browser, oidc_provider, client, code_challenge=challenge, code_challenge_method="S256"
    )

    assert answer.status_code == 302
    query = parse_qs(urlparse(answer.headers["Location"]).query)
    assert query["state"] == ["state-1"]
    (code,) = query["code"]
    (grant,) = oidc_provider.query(
        "SELECT code_challenge, code_challenge_method FROM oauth2_provider_grant WHERE code = ?",
        code,
    )
    assert (grant["code_challenge"], grant["code_challenge_method"]) == (challenge, "S256")

    document = discovery(oidc_provider)
    tokens = requests.post(
        document["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(client.client_id, client.client_secret),
        timeout=10,
    ).json()

    keys = jwk.JWKSet.from_json(requests.get(document["jwks_uri"], timeout=10).text)
    id_token = jwt.JWT(
        jwt=tokens["id_token"],
        key=keys,
        algs=["RS256"],
        check_claims={"iss": oidc_provider.issuer, "aud": client.client_id, "exp": None},
    )
    claims = json.loads(id_token.claims)
    assert claims["nonce"] == "nonce-1"
    assert (claims["email"], claims["email_verified"]) == (ALMA.email, True)

    userinfo = requests.get(
        document["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()
    assert userinfo["sub"] == claims["sub"]
    assert (userinfo["email"], userinfo["given_name"]) == (ALMA.email, "Alma")


def test_a_wrong_code_verifier_gets_no_token(oidc_provider, client):
    browser = signed_in_at_provider(oidc_provider, ALMA)
    _, challenge = pkce_pair()
    answer = authorize(
        browser, oidc_provider, client, code_challenge=challenge, code_challenge_method="S256"
    )
    (code,) = parse_qs(urlparse(answer.headers["Location"]).query)["code"]

    refused = requests.post(
        discovery(oidc_provider)["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": pkce_pair()[0],
        },
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )

    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_pkce_is_required(oidc_provider, client):
    browser = signed_in_at_provider(oidc_provider, ALMA)

    answer = authorize(browser, oidc_provider, client)

    query = parse_qs(urlparse(answer.headers["Location"]).query)
    assert "code" not in query
    assert query["error"] == ["invalid_request"]
