"""A user name longer than django-axes' 255-character column is a failed sign-in like any
other, on every sign-in (the token endpoint, the sign-in page), never a 500; and repeating
it still locks out, as a short name does. The admin site's and the browsable API's sign-in
pages send people to the sign-in page (tests/accounts/test_two_factor_sign_in.py)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LONG_NAME = "x" * 300


def sign_in(where: str, username: str, password: str = "not-the-password", **extra):
    if where == "token":
        return APIClient().post(
            "/api/v1/auth/token/",
            {"username": username, "password": password},
            format="json",
            **extra,
        )
    # The sign-in page is django-allauth's: a user name or an email address in `login`.
    return Client().post("/sign-in/", {"login": username, "password": password}, **extra)


@pytest.mark.parametrize("where", ["token", "page"])
def test_a_very_long_user_name_is_a_failed_sign_in_not_a_server_error(where):
    response = sign_in(where, LONG_NAME)
    assert response.status_code in {200, 400}
    assert AccessAttempt.objects.filter(failures_since_start=1).count() == 1


@pytest.mark.parametrize("where", ["token", "page"])
def test_repeating_a_very_long_user_name_still_locks_out(where, settings):
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [sign_in(where, LONG_NAME).status_code for _ in range(4)]
    assert statuses[-1] == 429
