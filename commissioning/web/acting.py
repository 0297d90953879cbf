"""Which organisation a person acts for on the pages.

The API names it in the X-Acting-For header on every write; a person using the pages names
it once: most have one membership, and someone with several picks one in the header, which
the session keeps until they pick another.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import DomainError, Forbidden
from commissioning.models import Organisation
from commissioning.selectors import organisations as organisation_selectors

SESSION_KEY = "acting_for"


def memberships_of(person):
    """The person's memberships in the order the organisation picker shows them."""
    return organisation_selectors.memberships_of(person=person).order_by(
        "organisation__name", "role"
    )


def allowed(requirement, *args) -> bool:
    """Whether a policy's requirement holds for these arguments: the policy decides what a
    page offers (log, order), the page only asks; the service checks again when it is done."""
    try:
        requirement(*args)
    except Forbidden:
        return False
    return True


def acting_organisation(request) -> Organisation:
    """The organisation chosen in this session, or the person's first; Forbidden for someone
    who belongs to none (a page then says whom to ask)."""
    standing = policies.standing_of(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen not in standing.organisations:
        first = memberships_of(request.user).first()
        if first is None:
            raise Forbidden(
                _(
                    "Your account belongs to no organisation yet. Ask an administrator of "
                    "your organisation to add you."
                ),
                code="no_membership",
            )
        chosen = first.organisation_id
        request.session[SESSION_KEY] = chosen
    return policies.require_acting_for(request.user, chosen)


def roles_in(request, organisation: Organisation) -> frozenset[str]:
    return policies.standing_of(request.user).roles.get(organisation.id, frozenset())


def page(view):
    """A page for signed-in people: sends others to the sign-in page, and gives the view the
    organisation the person acts for as `request.acting_for`. A refusal the view does not
    show on a form itself (something invisible, a write it may not make) becomes a page with
    the service's message and its status: 404 for what the person may not see."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            request.acting_for = acting_organisation(request)
            return view(request, *args, **kwargs)
        except DomainError as error:
            return render(request, "web/refusal.html", {"error": error}, status=error.status)

    return wrapped


def public_page(view):
    """A page anyone reads without signing in (what dialogue/selectors/publication.py
    publishes): a refusal becomes a page with the service's message and its status, as for
    `page`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return render(request, "web/refusal.html", {"error": error}, status=error.status)

    return wrapped
