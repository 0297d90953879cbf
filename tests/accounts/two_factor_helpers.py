"""People with two-factor for the tests, and the codes their authenticator app would show."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from commissioning.models import Membership
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, PurchaserFactory

PASSWORD = "a-long-test-password-2026"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP_PERIOD = 30  # allauth's MFA_TOTP_PERIOD


def totp_code(secret: str = SECRET, *, at: float | None = None) -> str:
    """What an authenticator app shows for the secret at a moment (RFC 6238: HOTP of the
    number of 30-second periods since 1970)."""
    counter = int(at if at is not None else time.time()) // TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def person(username: str, *, role=Membership.Role.OFFICER, country: str = "SE", **fields):
    member = PersonFactory(username=username, **fields)
    member.set_password(PASSWORD)
    member.save()
    if role == Membership.Role.PROVIDER_REPRESENTATIVE:
        organisation = ProviderFactory(country=country)
    else:
        organisation = PurchaserFactory(country=country)
    MembershipFactory(person=member, organisation=organisation, role=role)
    return member


def with_totp(member, secret: str = SECRET) -> list[str]:
    """Turns on the authenticator app for a person, as the activation page does; returns
    their recovery codes."""
    TOTP.activate(member, secret)
    return RecoveryCodes.activate(member).get_unused_codes()
