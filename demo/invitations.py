"""The demo's pending invitation: the ICB's commissioning officer has invited the first
representative of the hospital trust taking part in the respiratory service, which has
nobody in the product yet. `load_demo_data` prints its link; opening it on `make demo`
shows the invitation page (a name and a password, then signed in as the trust's admin)."""

from django.db import transaction

from accounts.links import invitation_url
from accounts.models import Invitation
from accounts.services.invitations import invite, resend_invitation
from commissioning.models import Membership

INVITEE = "amira.khan@example.org"


def invite_first_representative(*, officer, icb, trust) -> Invitation:
    return invite(
        actor=officer,
        acting_for=icb,
        email=INVITEE,
        organisation=trust,
        role=Membership.Role.PROVIDER_REPRESENTATIVE,
        is_admin=True,
    )


def invitation_lines() -> list[str]:
    """The link of the demo's invitation. One loaded more than INVITATION_DAYS ago has
    expired: it is sent again (a new link) so that the printed one works."""
    invitation = (
        Invitation.objects.filter(email=INVITEE)
        .select_related("organisation", "invited_by", "invited_for")
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        return []
    if invitation.status == Invitation.Status.EXPIRED:
        with transaction.atomic():
            invitation = resend_invitation(
                actor=invitation.invited_by,
                acting_for=invitation.invited_for,
                invitation=invitation,
            )
    if invitation.status != Invitation.Status.PENDING:
        return [f"\nThe demo's invitation to {INVITEE} was {invitation.status}."]
    return [
        f"\nA pending invitation to {INVITEE}, the first representative (organisation admin) "
        f"of {invitation.organisation.name}; open its link to join:",
        f"  {invitation_url(invitation)}",
    ]
