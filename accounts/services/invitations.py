"""Invitations: inviting a person by email to a role in an organisation, resending, revoking,
and accepting. Each write checks its rule (commissioning.grants, through the policy), changes
the rows and records its Event in one transaction (Zulip's do_* actions). The email goes out
from the Event relay (workers.handlers.send_invitation), so that a broker that is down at the
commit loses nothing: the sweep sends it later, once (a Notification keyed by the link).

A link is single-use and expires after INVITATION_DAYS; a resend makes a new key (the old
link stops working) and starts the days again. Accepting adds the membership to the person
and marks the invited address verified (allauth's EmailAddress): the link proves it."""

import datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation
from accounts.selectors.invitations import people_with_address
from commissioning import policies
from commissioning.errors import Conflict, NotFound, RuleViolation
from commissioning.languages import SUPPORTED_LANGUAGES
from commissioning.models import Membership, Organisation, Profile
from commissioning.services.events import record_event, snapshot

Kind = Organisation.Kind
Status = Invitation.Status
EMAIL_MAX_LENGTH = 254


def event_purchaser(organisation: Organisation, invited_for: Organisation | None = None):
    """The purchaser whose audit trail an invitation or a membership belongs to: a
    purchaser's own, the overseen one's for a political body, and for a provider's first
    representative the purchaser whose staff invited them."""
    if organisation.kind == Kind.PURCHASER:
        return organisation
    if organisation.kind == Kind.POLITICAL_BODY:
        return organisation.oversees
    if invited_for is not None and invited_for.kind == Kind.PURCHASER:
        return invited_for
    return None


def _record(invitation: Invitation, *, actor, acting_for, verb: str, before=None) -> None:
    after = snapshot(invitation)
    # The key opens the invitation: the audit trail, which staff read, never holds it.
    after.pop("key", None)
    if before is not None:
        before.pop("key", None)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=invitation,
        before=before,
        after=after,
        purchaser=event_purchaser(invitation.organisation, invitation.invited_for),
    )


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise RuleViolation(
            _("Give the email address the invitation is to be sent to, e.g. kim@example.org."),
            fields={"email": [_("Enter a valid email address.")]},
        ) from None
    return email


def _clean_language(language: str) -> str:
    if language and language not in SUPPORTED_LANGUAGES:
        raise RuleViolation(
            _("Choose the email's language among en, sv and nb, or leave it empty."),
            fields={"language": [_("Unknown language.")]},
        )
    return language or ""


def display_date(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _require_not_member(email: str, organisation: Organisation, role: str, is_admin: bool):
    members = Membership.objects.filter(
        organisation=organisation, role=role, person__in=people_with_address(email)
    )
    # An invitation with the admin right to a member without it gives them the right.
    if is_admin:
        members = members.filter(is_admin=True)
    if members.exists():
        raise Conflict(
            _("%(email)s already has that role in %(organisation)s.")
            % {"email": email, "organisation": organisation.name},
            code="already_a_member",
        )


@transaction.atomic
def invite(
    *,
    actor,
    acting_for: Organisation,
    email: str,
    organisation: Organisation,
    role: str,
    is_admin: bool = False,
    language: str = "",
) -> Invitation:
    """Invite `email` to `role` in `organisation`. An expired invitation of the same address,
    organisation and role is sent again instead of a second one."""
    email = _clean_email(email)
    language = _clean_language(language)
    if not policies.visible_organisations(actor).filter(pk=organisation.pk).exists():
        raise NotFound()
    policies.require_may_invite(actor, acting_for, organisation, role, is_admin)
    _require_not_member(email, organisation, role, is_admin)
    live = (
        Invitation.objects.select_for_update()
        .filter(email=email, organisation=organisation, role=role)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if live is not None and live.status == Status.PENDING:
        raise Conflict(
            _(
                "%(email)s was invited to this role on %(date)s and has not answered yet: "
                "send that invitation again instead."
            )
            % {"email": email, "date": display_date(live.created_at)},
            code="already_invited",
            details={"invitation": live.pk},
        )
    if live is not None:
        live.is_admin, live.language = is_admin, language
        return _send_again(live, actor=actor, acting_for=acting_for)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                organisation=organisation,
                role=role,
                is_admin=is_admin,
                language=language,
                invited_by=actor,
                invited_for=acting_for,
                expires_at=_expiry(),
            )
    except IntegrityError:
        # The same invitation sent at the same moment by someone else.
        raise Conflict(
            _("%(email)s was invited to this role a moment ago.") % {"email": email},
            code="already_invited",
        ) from None
    _record(invitation, actor=actor, acting_for=acting_for, verb="invitation.created")
    return invitation


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS)


def _send_again(invitation: Invitation, *, actor, acting_for) -> Invitation:
    before = snapshot(Invitation.objects.get(pk=invitation.pk))
    invitation.key = Invitation._meta.get_field("key").get_default()
    invitation.expires_at = _expiry()
    invitation.sent_at = None
    invitation.invited_by = actor
    invitation.invited_for = acting_for
    invitation.save()
    _record(invitation, actor=actor, acting_for=acting_for, verb="invitation.resent", before=before)
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_for", "invited_by")
        .get(pk=invitation.pk)
    )


def _require_not_closed(invitation: Invitation) -> None:
    """Accepted and revoked invitations are history; an expired one may be sent again."""
    if invitation.accepted_at is not None:
        raise Conflict(
            _("This invitation was accepted on %(date)s; the person is a member now.")
            % {"date": display_date(invitation.accepted_at)},
            code="invitation_accepted",
        )
    if invitation.revoked_at is not None:
        raise Conflict(
            _("This invitation was revoked on %(date)s; invite the person again instead.")
            % {"date": display_date(invitation.revoked_at)},
            code="invitation_revoked",
        )


@transaction.atomic
def resend_invitation(*, actor, acting_for: Organisation, invitation: Invitation) -> Invitation:
    """The same invitation by a new email with a new link (the old one stops working) and
    INVITATION_DAYS from now. It grants again, so the rules of inviting apply again."""
    invitation = _locked(invitation)
    policies.require_may_invite(
        actor, acting_for, invitation.organisation, invitation.role, invitation.is_admin
    )
    _require_not_closed(invitation)
    return _send_again(invitation, actor=actor, acting_for=acting_for)


@transaction.atomic
def revoke_invitation(*, actor, acting_for: Organisation, invitation: Invitation) -> Invitation:
    invitation = _locked(invitation)
    policies.require_may_manage_invitation(actor, acting_for, invitation)
    _require_not_closed(invitation)
    before = snapshot(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _record(
        invitation, actor=actor, acting_for=acting_for, verb="invitation.revoked", before=before
    )
    return invitation


def require_open(invitation: Invitation) -> None:
    """A link works once, until it expires, unless revoked."""
    _require_not_closed(invitation)
    if invitation.status == Status.EXPIRED:
        raise Conflict(
            _("This invitation expired on %(date)s; ask for it to be sent again.")
            % {"date": display_date(invitation.expires_at)},
            code="invitation_expired",
        )


def _require_address_of(person, email: str) -> None:
    owners = people_with_address(email)
    if not owners.filter(pk=person.pk).exists():
        raise RuleViolation(
            _(
                "This invitation was sent to %(email)s: accept it signed in as the person "
                "with that address."
            )
            % {"email": email},
            code="not_your_invitation",
        )
    verified_elsewhere = EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(
        user=person
    )
    if verified_elsewhere.exists():
        raise Conflict(
            _("%(email)s is the verified address of another account.") % {"email": email},
            code="address_taken",
        )


def _verify_address(person, email: str) -> None:
    """The link proved the address: verified, and primary unless the person has another."""
    address = EmailAddress.objects.filter(user=person, email__iexact=email).first()
    if address is None:
        address = EmailAddress.objects.create(user=person, email=email, verified=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    address.set_as_primary(conditional=True)
    if not person.email:
        person.email = email
        person.save(update_fields=["email"])


def _join(invitation: Invitation, person) -> Membership:
    organisation = invitation.organisation
    membership = Membership.objects.filter(
        person=person, organisation=organisation, role=invitation.role
    ).first()
    purchaser = event_purchaser(organisation)
    if membership is None:
        membership = Membership.objects.create(
            person=person,
            organisation=organisation,
            role=invitation.role,
            is_admin=invitation.is_admin,
        )
        record_event(
            actor=person,
            acting_for=organisation,
            verb="membership.created",
            subject=membership,
            after=snapshot(membership),
            purchaser=purchaser,
        )
    elif invitation.is_admin and not membership.is_admin:
        before = snapshot(membership)
        membership.is_admin = True
        membership.save(update_fields=["is_admin"])
        record_event(
            actor=person,
            acting_for=organisation,
            verb="membership.changed",
            subject=membership,
            before=before,
            after=snapshot(membership),
            purchaser=purchaser,
        )
    return membership


@transaction.atomic
def accept_invitation(*, invitation: Invitation, person) -> Membership:
    """The person joins the organisation in the invitation's role (with its admin right), by
    a link only the invited address received: for someone with an account, signed in as
    the person that address belongs to; the single sign-on's first sign-in calls this too."""
    invitation = _locked(invitation)
    require_open(invitation)
    _require_address_of(person, invitation.email)
    membership = _join(invitation, person)
    before = snapshot(invitation)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _record(
        invitation,
        actor=person,
        acting_for=invitation.organisation,
        verb="invitation.accepted",
        before=before,
    )
    _verify_address(person, invitation.email)
    policies.forget_standing(person)
    return membership


@transaction.atomic
def join_by_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> Membership:
    """Someone new: their account (a user name made from the address, the password given,
    already checked by the password validators), then the invitation accepted for it."""
    email = invitation.email
    if people_with_address(email).exists():
        raise Conflict(
            _("An account with %(email)s exists already: sign in to accept the invitation.")
            % {"email": email},
            code="account_exists",
        )
    adapter = get_adapter()
    person = get_user_model()(
        username=adapter.generate_unique_username([email.split("@")[0], first_name, last_name]),
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
    )
    person.set_password(password)
    person.save()
    if invitation.language:
        # The inviter knew the person's language; the profile page changes it.
        Profile.objects.create(person=person, language=invitation.language)
    return accept_invitation(invitation=invitation, person=person)
