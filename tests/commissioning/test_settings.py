"""Settings come from the environment, with safe defaults and refusals."""

import os
import subprocess
import sys

PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, "
    "settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG)"
)


def run_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_on_the_embedded_default_with_a_development_key():
    result = run_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "Europe/Stockholm",
        "True",
        "True",
    ]


def test_settings_are_read_from_the_environment():
    result = run_settings(
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://u:p@db.example:5432/dialogue",
        TIME_ZONE="Europe/Oslo",
        CELERY_BROKER_URL="redis://localhost:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "Europe/Oslo",
        "False",
        "False",
    ]


def test_a_malformed_boolean_is_refused_with_its_name():
    result = run_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be 1 or 0" in result.stderr


def test_the_days_an_invitation_works_are_read_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.INVITATION_DAYS)"
    )
    base = {k: v for k, v in os.environ.items() if k != "INVITATION_DAYS"}
    base.update(DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")

    def days(**extra):
        return subprocess.run(
            [sys.executable, "-c", probe],
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    assert days().stdout.strip() == "7"
    assert days(INVITATION_DAYS="14").stdout.strip() == "14"
    refused = days(INVITATION_DAYS="0")
    assert refused.returncode != 0
    assert "INVITATION_DAYS must be at least 1" in refused.stderr
