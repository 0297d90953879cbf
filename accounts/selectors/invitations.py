"""Reads of invitations, scoped by the policy (commissioning.grants): a person sees the
invitations they may resend or revoke, those to the organisations whose people they look
after, and, as a purchaser's staff, the ones its staff sent to providers' first
representatives. Any other answers as if it did not exist."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Invitation
from commissioning import policies
from commissioning.grants import PROVIDER_KINDS
from commissioning.models import Organisation


def visible_invitations(person, acting_for: Organisation | None = None) -> QuerySet[Invitation]:
    """Acting for one organisation, the invitations made for it or to it."""
    standing = policies.standing_of(person)
    staff_of = standing.staff_purchasers
    if acting_for is not None:
        staff_of = staff_of & {acting_for.id}
    return Invitation.objects.filter(
        Q(organisation__in=policies.administered_organisations(person, acting_for).values("id"))
        | Q(invited_for__in=staff_of, organisation__kind__in=PROVIDER_KINDS)
    )


def invitation_list(*, person, acting_for: Organisation | None = None) -> QuerySet[Invitation]:
    return visible_invitations(person, acting_for).select_related(
        "organisation", "invited_by", "invited_for", "accepted_by"
    )


def pending(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Not accepted, not revoked, not expired."""
    return invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def invitation_get(*, person, invitation_id) -> Invitation:
    return policies.get_visible(invitation_list(person=person), pk=invitation_id)


def people_with_address(email: str):
    """The people an address belongs to: a verified address of theirs (allauth), or the
    address of their account."""
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    return get_user_model().objects.filter(pk__in=verified) | get_user_model().objects.filter(
        email__iexact=email
    )
