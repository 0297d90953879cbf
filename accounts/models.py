"""Invitations to join an organisation, and the named API tokens a person makes for their
integrations."""

import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.models import Membership, Organisation


def new_invitation_key() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by email to a role in an organisation. Its link carries `key` (signed,
    see accounts.services.invitations); a resend makes a new key, so only the latest email's
    link works, and a link works once: accepting, revoking or expiring ends it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=32, choices=Membership.Role.choices)
    is_admin = models.BooleanField(
        _("organisation admin"),
        default=False,
        help_text=_("May invite and remove colleagues of the organisation."),
    )
    key = models.CharField(max_length=64, unique=True, default=new_invitation_key)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation the inviter acted for: a purchaser's staff invite a provider's first
    # representative, an organisation admin invites colleagues to their own.
    invited_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        blank=True,
        default="",
        help_text=_("Language of the email; empty means the organisation's country's."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One live invitation per address, organisation and role: a second one is a
            # resend of the first.
            models.UniqueConstraint(
                fields=["email", "organisation", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A named secret for the API (`Authorization: Token <secret>`). Only its SHA-256 is kept:
    the secret is shown once, when it is made."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# A host name of at least two labels, as an email address's domain part is written.
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class IdentityProviderRule(models.Model):
    """What an identity provider (an OpenID Connect SocialApp of django-allauth) may do here.

    Every sign-in through it needs an email address at one of its allowed domains and an ID
    token from the issuer it is configured with. A first sign-in links to the person with
    that verified address, or accepts the address's pending invitations; only when the rule
    says so does it make a new person with its one organisation and role. A provider without
    a rule is not offered and signs nobody in."""

    app = models.OneToOneField(
        "socialaccount.SocialApp",
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="identity_provider_rule",
    )
    allowed_email_domains = models.TextField(
        _("allowed email domains"),
        help_text=_(
            "One domain per line, e.g. region-alpha.se. Only people whose address is at one "
            "of these domains sign in through this provider."
        ),
    )
    email_verified_claim = models.CharField(
        _("claim that the address is verified"),
        max_length=64,
        blank=True,
        default="email_verified",
        help_text=_(
            "email_verified for most providers; xms_edov for Microsoft Entra ID (an optional "
            "claim to add to the app registration). Leave it empty only for a provider that "
            "is the authority for the allowed domains and says no such thing (Feide's "
            "email_verified is always false): its addresses at those domains then count as "
            "verified."
        ),
    )
    grants_membership = models.BooleanField(
        _("makes new people members"),
        default=False,
        help_text=_(
            "Off: the provider signs in only people who already have an account or a pending "
            "invitation. On: a person it signs in for the first time who has neither becomes "
            "a member of the organisation below, in the role below."
        ),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(
        _("role"), max_length=32, choices=Membership.Role.choices, blank=True, default=""
    )
    sign_out_at_provider = models.BooleanField(
        _("sign out at the provider too"),
        default=False,
        help_text=_(
            "Signing out here also ends the session at the provider (RP-initiated logout). "
            "At Microsoft Entra ID that signs the person out of every Microsoft service in "
            "that browser."
        ),
    )

    class Meta:
        verbose_name = _("identity provider rule")
        verbose_name_plural = _("identity provider rules")
        constraints = [
            models.CheckConstraint(
                name="identity_provider_rule_grant_needs_organisation_and_role",
                condition=Q(grants_membership=False)
                | (Q(organisation__isnull=False) & ~Q(role="")),
            )
        ]

    def __str__(self) -> str:
        return str(self.app)

    def clean(self):
        errors = {}
        malformed = sorted(domain for domain in self.domains if not DOMAIN.fullmatch(domain))
        if not self.domains:
            errors["allowed_email_domains"] = _("Name at least one domain, e.g. region-alpha.se.")
        elif malformed:
            errors["allowed_email_domains"] = _(
                "Not a domain: %(domains)s. Write one domain per line, e.g. region-alpha.se."
            ) % {"domains": ", ".join(malformed)}
        if self.grants_membership:
            if self.organisation is None:
                errors["organisation"] = _("Choose the organisation that new people join.")
            if not self.role:
                errors["role"] = _("Choose the role that new people get.")
            elif self.organisation is not None:
                allowed = Membership.ROLES_BY_KIND[self.organisation.kind]
                if self.role not in allowed:
                    errors["role"] = _(
                        "A %(kind)s has no such role; choose one of: %(allowed)s."
                    ) % {
                        "kind": self.organisation.get_kind_display(),
                        "allowed": ", ".join(str(Membership.Role(role).label) for role in allowed),
                    }
        elif self.organisation is not None or self.role:
            errors["grants_membership"] = _(
                "An organisation and role are given only to new people: tick this box, or "
                "leave the organisation and role empty."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def domains(self) -> set[str]:
        return {
            line.strip().lower().lstrip("@")
            for line in self.allowed_email_domains.splitlines()
            if line.strip()
        }

    def allows(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains
