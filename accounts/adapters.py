"""The rules django-allauth follows in this product.

- Nobody signs up on their own: a person joins by invitation (accounts.services.invitations)
  or through an identity provider's rule (single sign-on), never through an open form.
- A person with no membership left cannot sign in (an organisation ended their membership;
  they keep their history and authorship). The installation's administrators (staff) can.
- Emails go out in the recipient's language (commissioning.languages): their own choice,
  else their organisation's country's.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import identity_providers
from accounts.links import waiting_invitation
from accounts.models import IdentityProviderRule
from accounts.services.single_sign_on import link_first_sign_on
from commissioning.standing import standing_of
from commissioning.web.sign_in import NO_SUCH_ACCOUNT

logger = logging.getLogger(__name__)

NO_MEMBERSHIP = _(
    "Your account no longer belongs to any organisation, so there is nothing to sign in to. "
    "Ask a commissioning manager or your organisation's admin to invite you again."
)


def may_sign_in(person) -> bool:
    """An administrator, or a member of an organisation: read from the person's standing,
    which the request's permission check reads next (one query for both)."""
    return person.is_staff or bool(standing_of(person).organisations)


class AccountAdapter(DefaultAccountAdapter):
    # One answer to a wrong password and an unknown user name or address, on the page and
    # the API's token endpoint alike, so that neither tells which accounts exist.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": NO_SUCH_ACCOUNT,
        "email_password_mismatch": NO_SUCH_ACCOUNT,
    }

    def is_open_for_signup(self, request) -> bool:
        # The invitation page signs people up itself (it knows the organisation and role).
        return False

    def pre_login(self, request, user, **kwargs):
        # Someone whose memberships all ended signs in again to accept a new invitation, whose
        # link they opened in this browser (accounts/web/invitations.py).
        if not may_sign_in(user) and waiting_invitation(request, user) is None:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return render(
                request, "accounts/no_membership.html", {"message": NO_MEMBERSHIP}, status=403
            )
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix, email, context):
        from commissioning.languages import language_of

        person = context.get("user")
        if person is None:
            person = get_user_model().objects.filter(email__iexact=email).first()
        language = language_of(person) if person is not None else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def get_logout_redirect_url(self, request):
        # Before the session ends: a person who signed in through a provider whose rule says
        # so is sent on to end the provider's session too, and comes back to signing in.
        return identity_providers.provider_sign_out_url(request) or super().get_logout_redirect_url(
            request
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # A first single sign-on links to an existing person or accepts an invitation (see
        # the identity provider rules); it never makes an account on its own.
        return False

    def list_apps(self, request, provider=None, client_id=None):
        # An identity provider is offered on the sign-in page, and signs anyone in, only
        # once its rule says what it may do (accounts.models.IdentityProviderRule).
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        ruled = set(
            IdentityProviderRule.objects.filter(app__in=[app.pk for app in apps]).values_list(
                "app_id", flat=True
            )
        )
        return [app for app in apps if app.pk in ruled]

    def pre_social_login(self, request, sociallogin):
        """Every sign-in through an identity provider: the issuer and the address's domain
        are checked; a first one is linked to a person (accounts.services.single_sign_on).
        A refusal is a page in the person's language, and changes nothing."""
        app = sociallogin.provider.app
        rule = identity_providers.rule_of(app)
        try:
            claims = identity_providers.checked_claims(app, rule, sociallogin)
            if sociallogin.state.get("process") == AuthProcess.CONNECT:
                identity_providers.check_connect(request.user, app, claims)
            elif not sociallogin.is_existing:
                link_first_sign_on(
                    request=request, sociallogin=sociallogin, rule=rule, claims=claims
                )
        except identity_providers.SignOnRefused as refusal:
            logger.warning(
                "single sign-on refused",
                extra={"provider": app.provider_id, "reason": str(refusal.message)},
            )
            page = render(
                request,
                "accounts/sign_on_refused.html",
                {"message": refusal.message, "provider": app.name},
                status=403,
            )
            raise ImmediateHttpResponse(page) from refusal
