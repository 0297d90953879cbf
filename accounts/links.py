"""The link of an invitation email, /invitations/<signed>/: the invitation's id and key,
signed with the installation's SECRET_KEY (django.core.signing) under a salt of its own, so
that nobody makes or alters one. A resend gives the invitation a new key, so only the latest
email's link opens it; the id lets an older link say that a newer email replaced it. Whether
the invitation is still pending (not accepted, revoked or expired) is the row's to say."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import Invitation
from accounts.selectors.invitations import people_with_address

SALT = "accounts.invitation"
# The link the visitor opened last in this session: signing in comes back to it.
SESSION_KEY = "invitation"


def _signer() -> signing.Signer:
    # No timestamp in it: when the link expires is the invitation's to say (a resend moves it).
    return signing.Signer(salt=SALT)


def signed_token(invitation: Invitation) -> str:
    return _signer().sign_object({"i": invitation.pk, "k": invitation.key})


def invitation_path(invitation: Invitation) -> str:
    return reverse("invitation-page", args=[signed_token(invitation)])


def invitation_url(invitation: Invitation) -> str:
    """The whole address, for the email (SITE_URL, as every link of an email)."""
    return f"{settings.SITE_URL.rstrip('/')}{invitation_path(invitation)}"


@dataclass(frozen=True)
class OpenedLink:
    invitation: Invitation
    # False for the link of an email a resend replaced.
    latest: bool


def open_link(token: str) -> OpenedLink | None:
    """The invitation a link names, or None for a link nobody here signed (or whose
    invitation no longer exists): those answer as an address that does not exist."""
    try:
        payload = _signer().unsign_object(token)
        invitation_id, key = int(payload["i"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by", "invited_for")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    return OpenedLink(invitation=invitation, latest=invitation.key == key)


def waiting_invitation(request, person) -> Invitation | None:
    """The invitation whose link was opened in this session, still pending and sent to an
    address of `person`: a person with no membership left may sign in to accept it."""
    session = getattr(request, "session", None)
    token = session.get(SESSION_KEY) if session is not None else None
    opened = open_link(token) if isinstance(token, str) else None
    if opened is None or not opened.latest:
        return None
    invitation = opened.invitation
    if invitation.status != Invitation.Status.PENDING:
        return None
    if not people_with_address(invitation.email).filter(pk=person.pk).exists():
        return None
    return invitation
