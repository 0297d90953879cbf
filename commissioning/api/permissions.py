"""Who may write to an endpoint at all, asked of the policy before a write's body is read.

Its own module: DRF imports DEFAULT_PERMISSION_CLASSES while its views module loads, so this
imports nothing of DRF's views.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import SAFE_METHODS, BasePermission

from commissioning import policies

ACTING_FOR_HEADER = "X-Acting-For"


class WritersOnly(BasePermission):
    """Before a write's body is read, whether the person's role in the organisation named
    in X-Acting-For may write to this kind of endpoint at all (policies.require_writer):
    in DEFAULT_PERMISSION_CLASSES, so a politician gets 403, not "meeting: This field is
    required." (issue 15). Every view that writes says who may, in `writers` (a
    policies.Writers, or a dict of them by the viewset's action, None for the others)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True  # a read, or a method the view does not have: DRF answers 405
        writers = getattr(view, "writers", None)
        if isinstance(writers, dict):
            writers = writers.get(getattr(view, "action", None), writers.get(None))
        if writers is None:
            raise ImproperlyConfigured(
                f"{type(view).__name__} takes writes: set writers = policies.Writers.… on it."
            )
        try:
            organisation_id = int(request.headers.get(ACTING_FOR_HEADER, ""))
        except ValueError:
            organisation_id = None  # named in the body, or not at all: any of theirs
        policies.require_writer(request.user, organisation_id, policies.Writers(writers))
        return True
