"""Organisations, memberships and network memberships: each write checks its rule, changes the
rows and records one Event in one transaction."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import (
    Membership,
    NetworkMembership,
    Organisation,
)
from commissioning.services.events import record_event, snapshot

Kind = Organisation.Kind


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    kind: str,
    country: str,
    ownership: str = "",
    official_id: str = "",
    oversees: Organisation | None = None,
) -> Organisation:
    if kind == Kind.PROVIDER and not ownership:
        raise RuleViolation(
            _("A provider must say whether it is public, private or non-profit."),
            fields={"ownership": [_("Required for providers.")]},
        )
    if kind != Kind.PROVIDER and ownership:
        raise RuleViolation(
            _("Only providers have an ownership; leave it empty for this kind."),
            fields={"ownership": [_("Only for providers.")]},
        )
    if oversees is not None and (kind != Kind.POLITICAL_BODY or oversees.kind != Kind.PURCHASER):
        raise RuleViolation(
            _("Only a political body oversees, and what it oversees must be a purchaser."),
            fields={"oversees": [_("A purchaser, for political bodies only.")]},
        )
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        country=country.upper(),
        ownership=ownership,
        official_id=official_id,
        oversees=oversees,
    )
    record_event(
        actor=actor,
        acting_for=None,
        verb="organisation.created",
        subject=organisation,
        after=snapshot(organisation),
        purchaser=organisation if kind == Kind.PURCHASER else oversees,
    )
    return organisation


@transaction.atomic
def add_membership(
    *, actor, person, organisation: Organisation, role: str, is_admin: bool = False
) -> Membership:
    """An administrator's (the admin site's, the demo's) way to add someone; people otherwise
    join by invitation (accounts.services.invitations)."""
    allowed = Membership.ROLES_BY_KIND[organisation.kind]
    if role not in allowed:
        raise RuleViolation(
            _("A %(kind)s has no %(role)s; choose one of: %(allowed)s.")
            % {
                "kind": organisation.get_kind_display(),
                "role": role,
                "allowed": ", ".join(sorted(allowed)),
            },
            fields={"role": [_("Does not fit the organisation's kind.")]},
        )
    if is_admin and role != Membership.Role.PROVIDER_REPRESENTATIVE:
        raise RuleViolation(
            _(
                "The organisation-admin right is for a provider organisation's or network's "
                "representatives; a purchaser's managers look after its people."
            ),
            fields={"is_admin": [_("Only for provider representatives.")]},
        )
    if Membership.objects.filter(person=person, organisation=organisation, role=role).exists():
        raise Conflict(_("This person already has that role in that organisation."))
    membership = Membership.objects.create(
        person=person, organisation=organisation, role=role, is_admin=is_admin
    )
    record_event(
        actor=actor,
        acting_for=None,
        verb="membership.created",
        subject=membership,
        after=snapshot(membership),
        purchaser=organisation if organisation.kind == Kind.PURCHASER else None,
    )
    policies.forget_standing(person)
    return membership


@transaction.atomic
def add_network_member(
    *, actor, network: Organisation, provider: Organisation
) -> NetworkMembership:
    if network.kind != Kind.PROVIDER_NETWORK or provider.kind != Kind.PROVIDER:
        raise RuleViolation(_("Only a provider can join, and only a provider network."))
    if NetworkMembership.objects.filter(network=network, provider=provider).exists():
        raise Conflict(
            _("%(provider)s is already a member of %(network)s.")
            % {
                "provider": provider.name,
                "network": network.name,
            }
        )
    link = NetworkMembership.objects.create(network=network, provider=provider)
    record_event(
        actor=actor,
        acting_for=None,
        verb="network_membership.created",
        subject=link,
        after=snapshot(link),
    )
    return link
