"""Production settings: `manage.py check --deploy` is clean with the production environment
of the README (its exports, read from the README), and the secure defaults follow SITE_URL
so that the demo on http://localhost keeps working. Each runs Django in a subprocess with its
own environment, as a server would start."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.production.topology import readme_environment

ROOT = Path(__file__).resolve().parents[2]

# Exactly the README's exports, with the test's values where it writes `…` (no server is
# reached: the checks read settings only).
PRODUCTION = readme_environment(
    database_url="postgres://dialogue@db.invalid/dialogue",
    redis_port=6379,
    smtp_port=587,
    web_port=8000,
    root="/srv/dialogue",
)
NO_ISSUES = "System check identified no issues (1 silenced)."

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


def warnings_of(result) -> list[str]:
    return sorted(re.findall(r"\((security\.\w+)\)", result.stderr))


def test_check_deploy_is_clean_with_the_readme_production_environment():
    """Failed before the preload reminder (W021) was silenced: the README's environment
    does not turn preloading on, and should not (it is the domain owner's decision)."""
    result = deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == NO_ISSUES
    assert result.stderr == ""


def test_with_preload_on_nothing_is_left_to_silence():
    result = deploy_check({**PRODUCTION, "SECURE_HSTS_PRELOAD": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_silenced_preload_reminder_hides_no_other_warning():
    """On plain http the secure defaults are off, and check --deploy says so, every one."""
    result = deploy_check({**PRODUCTION, "SITE_URL": "http://dialogue.example.org"})
    assert result.returncode == 1
    assert warnings_of(result) == [
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    ]
    assert "security.W021" not in result.stderr


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
    assert run(["-c", snippet], PRODUCTION, drop=["SECURE_PROXY_SSL_HEADER"]).stdout.strip() == (
        "None"
    )
