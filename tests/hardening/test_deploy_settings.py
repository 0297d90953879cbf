"""Production settings: `manage.py check --deploy` is clean with the production environment
of the README, and the secure defaults follow SITE_URL so that the demo on
http://localhost keeps working. Each runs Django in a subprocess with its own environment,
as a server would start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "b7Qf-3kL9zR2vX8pN1mW6tY4hJ0sD5gA7cE9uI2oP4qS6wZ8xV1nM3bK5jH7",
    "SITE_URL": "https://dialogue.example.org",
    "ALLOWED_HOSTS": "dialogue.example.org",
    "SECURE_HSTS_PRELOAD": "1",
}

SETTINGS_PRINTED = """
import django, json
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in [
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS",
]}))
"""


def run(args, extra_env, drop=()):
    """Django in a fresh process with only the environment given (none of the test run's)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **extra_env,
    }
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def deploy_check(extra_env, drop=()):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], extra_env, drop)


def test_check_deploy_is_clean_with_the_production_environment():
    result = deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_preload_the_only_deploy_warning_is_the_preload_reminder():
    """Preloading binds the whole domain to HTTPS for years: the owner decides it."""
    result = deploy_check(PRODUCTION, drop=["SECURE_HSTS_PRELOAD"])
    assert result.returncode == 1
    assert "security.W021" in result.stderr
    assert result.stderr.count("(security.") == 1, result.stderr


def test_an_https_site_gets_secure_cookies_redirects_hsts_and_a_csp():
    result = run(["-c", SETTINGS_PRINTED], PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert "script-src 'self'" in values["CONTENT_SECURITY_POLICY"]
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_the_demo_on_plain_http_keeps_cookies_and_links_working():
    result = run(["-c", SETTINGS_PRINTED], {"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["CONTENT_SECURITY_POLICY"] == ""


def test_each_secure_default_can_be_set_on_its_own():
    result = run(
        ["-c", SETTINGS_PRINTED],
        {**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "CONTENT_SECURITY_POLICY": ""},
    )
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["CONTENT_SECURITY_POLICY"] == ""
    assert values["SESSION_COOKIE_SECURE"] is True


def test_behind_a_tls_proxy_its_header_is_trusted_only_when_named():
    snippet = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    named = run(["-c", snippet], {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert run(["-c", snippet], PRODUCTION).stdout.strip() == "None"
