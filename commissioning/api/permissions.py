"""Who may write to an endpoint at all, asked of the policy before a write's body is read.

Its own module: DRF imports DEFAULT_PERMISSION_CLASSES while its views module loads, so this
imports nothing of DRF's views.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from commissioning import policies

ACTING_FOR_HEADER = "X-Acting-For"

NO_MEMBERSHIP = _(
    "Your account no longer belongs to any organisation, so there is nothing to sign in to. "
    "Ask a commissioning manager or your organisation's admin to invite you again."
)


class MembersOnly(IsAuthenticated):
    """Signed in, and a member of an organisation (or an administrator of the installation).
    A person whose last membership was ended has nothing left to act for: whatever carried
    them in (a session, an API token of any kind) answers 401 from that moment, as the
    sign-in page refuses them (accounts.adapters). Read from the standing, which every
    request computes afresh (commissioning.standing)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        person = request.user
        if person.is_staff or policies.standing_of(person).organisations:
            return True
        raise NotAuthenticated(NO_MEMBERSHIP, code="no_membership")


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
