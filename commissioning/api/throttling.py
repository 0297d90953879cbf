"""How often one person or one address may write, and open the pulse pages.

Counted in Django's cache (Redis in production, REDIS_CACHE_URL, so every gunicorn worker
shares the counts) by DRF's sliding-window throttle. Rates come from settings.THROTTLE_RATES
(THROTTLE_USER_WRITES, THROTTLE_ANON_WRITES, THROTTLE_PULSE), read at each request so that a
changed setting applies at once. Reads are not throttled: lists are paginated and cheap,
and a politician reading a briefing should never be told to wait.

The API's refusal is 429 in the JSON error shape with Retry-After (api.errors); the pulse
page's is a page saying how long to wait.

A shared cache that cannot be reached never fails a request: the throttles then count in
this process's memory (so a flood is still slowed down, by each worker on its own, rather
than let through or answered 500), a warning is logged at most once a minute with the number
of throttle checks counted so, and the shared cache is tried again every few seconds.
"""

import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# What an unreachable cache raises: Django's Redis backend passes redis-py's errors on; a
# socket error of any other backend is an OSError.
CACHE_ERRORS = (RedisError, OSError)


class SharedCacheOutage:
    """This process's view of the shared cache: while it is down (tried again RETRY_SECONDS
    after a failure, so an outage costs one failed attempt every few seconds rather than one
    per request), the throttles count in LOCAL_COUNTS. `fallbacks` counts the throttle
    checks made so since the process started."""

    RETRY_SECONDS = 5.0
    WARN_EVERY_SECONDS = 60.0

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_warning = float("-inf")
        self.fallbacks = 0
        self.since_warning = 0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + self.RETRY_SECONDS
            warn = now - self.last_warning >= self.WARN_EVERY_SECONDS
            if warn:
                self.last_warning = now
        if warn:
            logger.warning(
                "The shared cache cannot be reached (%s: %s); throttles count per process "
                "(%s checks so far, %s since the last warning).",
                type(error).__name__,
                error,
                self.fallbacks,
                self.since_warning,
            )
            self.since_warning = 0

    def counted_locally(self) -> None:
        with self.lock:
            self.fallbacks += 1
            self.since_warning += 1


OUTAGE = SharedCacheOutage()
LOCAL_COUNTS = LocMemCache("throttles-while-the-shared-cache-is-down", {})


class SettingsRateThrottle(SimpleRateThrottle):
    """DRF's throttle with its rate read from settings.THROTTLE_RATES[scope] when it is made
    (DRF's own reads REST_FRAMEWORK once, at import), counted in the shared cache or, while
    that cannot be reached, in this process (SharedCacheOutage)."""

    def get_rate(self) -> str:
        return settings.THROTTLE_RATES[self.scope]

    def allow_request(self, request, view) -> bool:
        if not OUTAGE.is_down():
            try:
                return super().allow_request(request, view)
            except CACHE_ERRORS as error:
                OUTAGE.failed(error)
        self.cache = LOCAL_COUNTS
        allowed = super().allow_request(request, view)
        if self.key is not None:  # this throttle applied to the request and counted it
            OUTAGE.counted_locally()
        return allowed


class UserWriteThrottle(SettingsRateThrottle):
    """Writes per signed-in person, whatever organisation they act for."""

    scope = "user_writes"

    def get_cache_key(self, request, view):
        if request.method not in WRITE_METHODS or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonymousWriteThrottle(SettingsRateThrottle):
    """Writes without a signed-in person, per address (NUM_PROXIES says which address of
    X-Forwarded-For is the client's)."""

    scope = "anon_writes"

    def get_cache_key(self, request, view):
        if request.method not in WRITE_METHODS or request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PulsePageThrottle(SettingsRateThrottle):
    """Every request to the pulse pages, per address: the token in the link is the only key,
    so guessing tokens is slowed down as well as flooding answers."""

    scope = "pulse"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_page(throttle_class):
    """Throttle a plain Django view with one of these throttles: over the rate, a 429 page
    with Retry-After instead of the view."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            throttle = throttle_class()
            if throttle.allow_request(request, None):
                return view(request, *args, **kwargs)
            # Imported here: api.errors imports DRF's views, whose APIView loads these
            # throttles from the settings while api.errors is still half imported.
            from commissioning.api.errors import plain_error_page, throttled_message

            wait = max(1, int(throttle.wait() or 1))
            return plain_error_page(
                _("Please wait"),
                throttled_message(wait),
                status=429,
                headers={"Retry-After": str(wait)},
            )

        return wrapped

    return decorate
