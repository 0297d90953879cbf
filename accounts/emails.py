"""The invitation email, composed by commissioning.mail in the invitee's language; the Event
relay sends it once (workers.handlers.send_invitation, workers.mail.send_once).

The language: the person's own choice when the address is already someone's who chose one;
else the language the inviter chose for the invitation; else the language of the
organisation's country (commissioning.languages)."""

import hashlib
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives

from accounts.links import invitation_url
from accounts.models import Invitation
from accounts.selectors.invitations import people_with_address
from commissioning import mail
from commissioning.languages import chosen_or_country
from commissioning.models import Membership, Profile

NOTIFICATION_KIND = "invitation"


@dataclass(frozen=True)
class Invitee:
    """Whom an invitation is written to when no account has the address yet: the address,
    and no name (commissioning.mail greets them without one)."""

    email: str
    pk = None

    def get_full_name(self) -> str:
        return ""

    def get_username(self) -> str:
        return ""


def recipient(invitation: Invitation):
    return people_with_address(invitation.email).order_by("pk").first() or Invitee(invitation.email)


def invitation_language(invitation: Invitation, person) -> str:
    chosen = None
    if person.pk is not None:
        chosen = Profile.objects.filter(person=person).values_list("language", flat=True).first()
    return chosen_or_country(chosen or invitation.language or None, invitation.organisation.country)


def notification_key(invitation: Invitation) -> str:
    """One email per link: a resend (a new key) is a new email; the same link twice is not."""
    return f"invitation:{invitation.pk}:{hashlib.sha256(invitation.key.encode()).hexdigest()[:16]}"


def invitation_email(invitation: Invitation, person, language: str) -> EmailMultiAlternatives:
    inviter = invitation.invited_by
    return mail.compose(
        person=person,
        language=language,
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            # The label itself (lazy), so that it is written in the recipient's language.
            "role": Membership.Role(invitation.role).label,
            "inviter": mail.person_name(inviter) if inviter is not None else "",
            "inviter_for": invitation.invited_for,
            "url": invitation_url(invitation),
        },
        sender_name=(invitation.invited_for or invitation.organisation).name,
    )
