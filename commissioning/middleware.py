"""Middleware of the installation's own: request sizes, a lost database, the CSP header,
answers that no cache may keep, the signed-in person's language and time zone.

DRF's views answer their errors in commissioning.api.errors.exception_handler; these cover
every other view (pages, the pulse page, the admin) and what happens before a view runs.
"""

import zoneinfo

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from commissioning import saved
from commissioning.api.errors import (
    DATABASE_UNAVAILABLE,
    database_unavailable,
    error_body,
    plain_error_page,
)
from commissioning.languages import SUPPORTED_LANGUAGES
from commissioning.models import Profile

MEGABYTE = 1024 * 1024


def body_limit(request) -> int | None:
    """The most bytes a request body may have: an upload (the admin's evidence documents)
    EVIDENCE_MAX_UPLOAD_MB, anything else DATA_UPLOAD_MAX_MEMORY_SIZE (None: no limit)."""
    if request.content_type == "multipart/form-data":
        return settings.EVIDENCE_MAX_UPLOAD_MB * MEGABYTE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Refuse a body over the limit with 413 before anything reads it. Django checks
    DATA_UPLOAD_MAX_MEMORY_SIZE only when a form is parsed, and DRF's JSON parser reads the
    stream itself, so without this a client could make a worker hold any size in memory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # as Django reads it: an unreadable length is no body
        if limit is not None and size > limit:
            return self.too_large(request, size, limit)
        return self.get_response(request)

    def too_large(self, request, size: int, limit: int):
        # Answered before LocaleMiddleware: in the request's own language (its cookie or
        # Accept-Language), not whatever an earlier request left active on this thread.
        with translation.override(translation.get_language_from_request(request)):
            return self._too_large(request, size, limit)

    def _too_large(self, request, size: int, limit: int):
        message = _(
            "The request is %(size)s; this server accepts at most %(limit)s. "
            "Send a smaller file or less text."
        ) % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
        if request.path.startswith("/api/"):
            return JsonResponse(
                error_body("too_large", message, details={"limit_bytes": limit}), status=413
            )
        return plain_error_page(_("Too large"), message, status=413)


class DatabaseUnavailableMiddleware:
    """A view that lost its database connection answers 503 instead of a 500 (JSON under
    /api/, a page elsewhere): "nothing was saved, try again" when the transaction was rolled
    back with the connection, so sending the request again is safe; "it was saved, do not
    send it again" when the change had committed before (commissioning.saved)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = saved.begin_request()
        try:
            return self.get_response(request)
        finally:
            saved.end_request(token)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header of settings.CONTENT_SECURITY_POLICY on every answer
    (Django 5.2 has none of its own), except the paths in CONTENT_SECURITY_POLICY_EXEMPT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        exempt = any(request.path.startswith(p) for p in settings.CONTENT_SECURITY_POLICY_EXEMPT)
        if policy and not exempt and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class PrivateAnswersMiddleware:
    """`Cache-Control: private, no-store` on every API answer and every answer to a signed-in
    person, so that neither a shared cache (a proxy, a CDN) nor the browser's history keeps
    one person's data for the next (issue 15): a token-authenticated API answer carried no
    Cache-Control at all. The API's anonymous answers are refusals, the token endpoint's
    token and the calendar feed, whose address is the credential. Static files are answered
    by WhiteNoise before this runs and keep their long caching; the pulse pages are
    never_cache already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF copies the person its authentication found (a token) onto Django's request.
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PersonalPreferencesMiddleware:
    """A signed-in person's pages are in the language they chose on their profile and show
    times in their time zone: the choice wins over the browser's Accept-Language and over a
    language cookie (one left by the header's switch on a shared computer, say). Without a
    choice, Django's LocaleMiddleware decides (cookie, then Accept-Language) and times are
    in the installation's TIME_ZONE. After AuthenticationMiddleware.

    The API keeps its own convention: messages follow Accept-Language, and times carry their
    UTC offset whatever zone they are written in (README, "API conventions")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, zone = self._preferences(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # The zone is the thread's until deactivated: the next request may be anyone's.
            timezone.deactivate()

    def _preferences(self, request) -> tuple[str | None, zoneinfo.ZoneInfo | None]:
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or user is None or not user.is_authenticated:
            return None, None
        chosen = Profile.objects.filter(person=user).values_list("language", "time_zone").first()
        if chosen is None:
            return None, None
        language, zone_name = chosen
        if language not in SUPPORTED_LANGUAGES:
            language = None
        try:
            zone = zoneinfo.ZoneInfo(zone_name) if zone_name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None  # a zone the tz database no longer has: the installation's
        return language, zone
