"""The writes of a first sign-in through an identity provider: link the provider's identity
to a person, accept the address's pending invitations, and make a new person a member only
where an invitation or the provider's rule grants it. Each in one transaction, with Events.
"""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.identity_providers import SignOnClaims, SignOnRefused
from accounts.models import IdentityProviderRule, Invitation
from accounts.selectors import invitations as invitation_selectors
from accounts.services.invitations import accept_invitation
from commissioning.services.events import record_event
from commissioning.services.organisations import add_membership


def person_with_verified_address(email: str):
    """The person whose verified address this is (allauth's EmailAddress), if any."""
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def pending_invitations(email: str) -> list[Invitation]:
    """The address's invitations still open (the selectors' one rule of "pending"), locked
    until the sign-in's transaction ends."""
    return list(
        invitation_selectors.pending(
            Invitation.objects.select_for_update().filter(email__iexact=email)
        ).select_related("organisation")
    )


@transaction.atomic
def link_first_sign_on(
    *, request, sociallogin, rule: IdentityProviderRule, claims: SignOnClaims
) -> None:
    """Tie the provider's identity (its `sub`) to a person here, the first time it signs in.

    The person is the one whose verified address the provider vouches for; else a new one,
    but only when a pending invitation or the rule grants them a membership. Anything else is
    refused: the provider never makes an account that nobody granted."""
    app = rule.app
    if not claims.email_verified:
        raise SignOnRefused(
            _(
                "%(provider)s did not confirm that %(email)s is your address, so it cannot be "
                "matched to an account here. Sign in with your password, or ask your "
                "organisation's IT support to verify your address at %(provider)s."
            )
            % {"provider": app.name, "email": claims.email}
        )
    person = person_with_verified_address(claims.email)
    invitations = pending_invitations(claims.email)
    grants = person is None and not invitations and rule.grants_membership
    if person is None and not invitations and not grants:
        raise SignOnRefused(
            _(
                "No account here has the address %(email)s, and nobody has invited it. Ask a "
                "commissioning manager or your organisation's admin to invite you; then sign "
                "in with %(provider)s again."
            )
            % {"email": claims.email, "provider": app.name}
        )
    created = person is None
    if created:
        person = create_person(claims)
    sociallogin.connect(request, person)
    record_event(
        actor=person,
        acting_for=None,
        verb="identity.linked",
        subject=sociallogin.account,
        after={
            "provider": sociallogin.account.provider,
            "uid": sociallogin.account.uid,
            "person": person.pk,
            "email": claims.email,
            "person_created": created,
        },
    )
    for invitation in invitations:
        accept_invitation(invitation=invitation, person=person)
    if grants:
        add_membership(actor=person, person=person, organisation=rule.organisation, role=rule.role)


def create_person(claims: SignOnClaims):
    """A new person with the provider's verified address and name, and no password: they
    sign in through the provider (or set a password with the reset link)."""
    person = get_user_model()(
        email=claims.email, first_name=claims.given_name, last_name=claims.family_name
    )
    get_account_adapter().populate_username(None, person)
    person.set_unusable_password()
    person.save()
    EmailAddress.objects.create(user=person, email=claims.email, verified=True, primary=True)
    record_event(
        actor=person,
        acting_for=None,
        verb="person.created",
        subject=person,
        after={"username": person.username, "email": person.email, "by": "single_sign_on"},
    )
    return person
