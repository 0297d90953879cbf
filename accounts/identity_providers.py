"""Single sign-on with OpenID Connect: what an identity provider's answer must say before
anyone is signed in through it, and where signing out ends its session too.

django-allauth runs the protocol (discovery, authorisation code with PKCE, token, userinfo)
for each SocialApp the administrator configures; accounts.adapters asks this module before
it lets a sign-in through. Writes (linking, accepting invitations, granting a membership)
are in accounts.services.single_sign_on.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityProviderRule

WELL_KNOWN = "/.well-known/openid-configuration"
DISCOVERY_TIMEOUT_SECONDS = 5


class SignOnRefused(Exception):
    """A sign-in through an identity provider that the rules refuse; `message` is written for
    the person, who sees it on a page in their language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignOnClaims:
    issuer: str
    email: str
    email_verified: bool
    given_name: str
    family_name: str


def configured_issuer(app) -> str:
    """The issuer the administrator configured (the SocialApp's `server_url`), as an ID
    token's `iss` writes it."""
    return app.settings.get("server_url", "").split(WELL_KNOWN)[0].rstrip("/")


def rule_of(app) -> IdentityProviderRule | None:
    return IdentityProviderRule.objects.filter(app=app).select_related("organisation").first()


def claims_of(sociallogin, rule: IdentityProviderRule) -> SignOnClaims:
    """The claims allauth stored from the ID token and userinfo (userinfo wins, as in
    allauth), read with the names the rule gives."""
    data = sociallogin.account.extra_data
    id_token = data.get("id_token") or {}
    userinfo = data.get("userinfo") or {}

    def claim(name):
        return userinfo.get(name, id_token.get(name))

    # No claim named: the administrator takes the provider as the authority for its domains.
    verified = claim(rule.email_verified_claim) if rule.email_verified_claim else True
    return SignOnClaims(
        issuer=str(id_token.get("iss", "")).rstrip("/"),
        email=str(claim("email") or "").strip(),
        # Some providers send the JSON string "true" instead of the boolean.
        email_verified=verified is True or verified == "true",
        given_name=str(claim("given_name") or "")[:150],
        family_name=str(claim("family_name") or "")[:150],
    )


def checked_claims(app, rule: IdentityProviderRule | None, sociallogin) -> SignOnClaims:
    """The answer's claims, once they are from the configured issuer and give an address at
    one of the rule's domains; otherwise SignOnRefused. Every sign-in through a provider is
    checked, the first and all later ones."""
    if rule is None:
        raise SignOnRefused(
            _(
                "Signing in with %(provider)s is not set up yet. Sign in with your password, or "
                "ask the administrator to finish setting up the provider."
            )
            % {"provider": app.name}
        )
    claims = claims_of(sociallogin, rule)
    if not claims.issuer or claims.issuer != configured_issuer(app):
        # allauth checks the ID token against the issuer of the discovery document it
        # fetched; this checks that that issuer is the one the administrator trusts.
        raise SignOnRefused(
            _(
                "This sign-in came from another identity provider than the one set up as "
                "%(provider)s, so it was refused and nothing was changed. Ask the "
                "administrator to check the provider's issuer address."
            )
            % {"provider": app.name}
        )
    if not claims.email or not rule.allows(claims.email):
        raise SignOnRefused(
            _(
                "%(provider)s signs in people with an address at %(domains)s only, and the "
                "address it gave for you (%(email)s) is not one of them. Sign in with your "
                "password, or with the provider of your own organisation."
            )
            % {
                "provider": app.name,
                "domains": ", ".join(sorted(rule.domains)),
                "email": claims.email or "—",
            }
        )
    return claims


def check_connect(person, app, claims: SignOnClaims) -> None:
    """A signed-in person connects a provider's identity to their account (allauth's
    "connect" on the account pages) only when the provider vouches for one of their own
    verified addresses: a link cannot attach someone else's identity to them."""
    from allauth.account.models import EmailAddress

    own = EmailAddress.objects.filter(user=person, email__iexact=claims.email, verified=True)
    if not claims.email_verified or not own.exists():
        raise SignOnRefused(
            _(
                "%(provider)s signed you in as %(email)s, which is not a verified address of "
                "your account here, so it was not connected. Sign out and sign in with "
                "%(provider)s instead, or add and verify that address first."
            )
            % {"provider": app.name, "email": claims.email}
        )


def provider_sign_out_url(request) -> str | None:
    """Where to send a person who signs out, when they signed in through a provider whose
    rule says to end its session too: the provider's end-session endpoint (OpenID Connect
    RP-initiated logout), which sends them back to the sign-in page."""
    from allauth.account.authentication import get_authentication_records
    from allauth.socialaccount.models import SocialApp

    provider_ids = [
        record["provider"]
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "socialaccount" and record.get("provider")
    ]
    if not provider_ids:
        return None
    rule = (
        IdentityProviderRule.objects.filter(
            app__provider_id=provider_ids[-1], sign_out_at_provider=True
        )
        .select_related("app")
        .first()
    )
    if rule is None:
        return None
    app: SocialApp = rule.app
    try:
        answer = requests.get(
            configured_issuer(app) + WELL_KNOWN, timeout=DISCOVERY_TIMEOUT_SECONDS
        )
        answer.raise_for_status()
        end_session = answer.json().get("end_session_endpoint")
    except (requests.RequestException, ValueError):
        # The provider cannot be reached: the person is signed out here all the same.
        return None
    if not end_session:
        return None
    parameters = {
        "client_id": app.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("sign-in")),
    }
    return f"{end_session}?{urlencode(parameters)}"
