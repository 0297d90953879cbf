"""Two-factor sign-in for purchaser staff, when the installation requires it.

django-allauth's mfa app does the two-factor itself (an authenticator app, security keys and
passkeys, recovery codes, and the code asked at sign-in). With REQUIRE_TWO_FACTOR_FOR_STAFF
on, a commissioning manager or officer without an authenticator app or a security key is
taken to set one up before anything else (TwoFactorSetUpMiddleware), is refused by the API
until then (TwoFactorSetUp, in DEFAULT_PERMISSION_CLASSES), and cannot deactivate the last
one (MFAAdapter.can_delete_authenticator).
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from commissioning.standing import standing_of

# Recovery codes only stand in for one of these; on their own they are no second factor.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

SET_UP_FIRST = _(
    "This installation requires two-factor authentication for commissioning staff. Set up "
    "an authenticator app or a security key, then carry on."
)
API_SET_UP_FIRST = _(
    "This installation requires two-factor authentication for commissioning staff. Sign "
    "in on the web pages and set up an authenticator app or a security key first; the API "
    "answers you after that."
)
KEEP_ONE = _(
    "This installation requires two-factor authentication for commissioning staff: add a "
    "security key before you deactivate the authenticator app."
)

# What a person who must set up two-factor may still open, by URL name: the two-factor
# pages (and the password confirmation allauth asks before them), signing out, the language
# switch and the health probes. Static files are answered by WhiteNoise before this runs.
OPEN_WHILE_SETTING_UP = frozenset(
    {
        "account_reauthenticate",
        "account_logout",
        "sign-out",
        "set_language",
        "health-live",
        "health-ready",
    }
)


def is_staff_of_a_purchaser(person) -> bool:
    return bool(standing_of(person).staff_purchasers)


def has_two_factor(person) -> bool:
    return Authenticator.objects.filter(user_id=person.pk, type__in=SECOND_FACTORS).exists()


def must_set_up_two_factor(person) -> bool:
    """True for a signed-in manager or officer of a purchaser without an authenticator app
    or a security key, when the installation requires two-factor for them."""
    if not settings.REQUIRE_TWO_FACTOR_FOR_STAFF:
        return False
    if person is None or not person.is_authenticated:
        return False
    return is_staff_of_a_purchaser(person) and not has_two_factor(person)


def open_while_setting_up(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        return False
    return name.startswith("mfa_") or name in OPEN_WHILE_SETTING_UP


class TwoFactorSetUpMiddleware:
    """Takes a staff member who must set up two-factor to the two-factor page from any other
    page, with a message that says why. The API (under /api/) is left to TwoFactorSetUp,
    which also sees the people a token signs in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path_info.startswith("/api/")
            and must_set_up_two_factor(request.user)
            and not open_while_setting_up(request)
        ):
            if request.headers.get("HX-Request"):
                # htmx would swap the two-factor page into a fragment: the browser goes.
                return HttpResponse(headers={"HX-Redirect": reverse("mfa_index")})
            messages.warning(request, SET_UP_FIRST)
            return redirect("mfa_index")
        return self.get_response(request)


class TwoFactorSetUp(BasePermission):
    """The API's answer to a staff member who must set up two-factor first: 403 with a
    message that says so, whether a session or a token signed them in."""

    def has_permission(self, request, view):
        if must_set_up_two_factor(request.user):
            raise PermissionDenied(API_SET_UP_FIRST, code="two_factor_required")
        return True


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": KEEP_ONE,
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """A staff member who must have two-factor keeps at least one second factor."""
        person = authenticator.user
        if not settings.REQUIRE_TWO_FACTOR_FOR_STAFF or not is_staff_of_a_purchaser(person):
            return True
        others = Authenticator.objects.filter(user_id=person.pk, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()


KEY_NAME = _("Name of the key")


class AddSecurityKeyForm(AddWebAuthnForm):
    """allauth's form, with a label for the key's name in the person's language (allauth
    leaves it to Django, which writes the field's name in English)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME


class RenameSecurityKeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME
