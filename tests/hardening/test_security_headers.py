"""The security headers on pages and API answers: CSP (when configured), frames denied,
no MIME sniffing, a referrer policy, HSTS over HTTPS."""

import pytest

pytestmark = pytest.mark.django_db

POLICY = "default-src 'self'; script-src 'self'; frame-ancestors 'none'"


def test_a_page_carries_the_configured_content_security_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = POLICY
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


def test_no_content_security_policy_when_it_is_switched_off(client, settings):
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get("/sign-in/")


def test_the_api_docs_page_with_its_inline_start_script_is_exempt(client, settings):
    settings.CONTENT_SECURITY_POLICY = POLICY
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_pages_may_not_be_framed_or_sniffed(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_when_asked(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/sign-in/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
