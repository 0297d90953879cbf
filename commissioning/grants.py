"""Who may bring whom in, and let whom go: the rules of invitations and of ending a membership
(README "How people join"). Read through commissioning.policies, like the standing it decides
from.

- A purchaser's commissioning manager invites its managers and officers, and the politicians
  of a political body that oversees it, and ends those memberships.
- A purchaser's staff (managers and officers) invite the first representative of a provider
  organisation or network that takes part in one of its programmes (itself, or through a
  network it belongs to), as that organisation's admin, while it has none: from then on the
  organisation looks after its own people.
- A provider organisation's or network's representative with the organisation-admin right
  invites colleagues to that organisation (admins or not) and ends their memberships.
- Nobody grants a role or an organisation they lack: an officer invites no manager, an
  admin of one provider nobody to another, and only a provider's representative is an admin.

Each `require_*` raises the domain error the API and the pages answer with. Whether the
organisation is visible at all (404 when not) is the caller's first question, through
policies.visible_organisations, so that nothing here tells a hidden organisation apart.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from commissioning.errors import Conflict, Forbidden, RuleViolation
from commissioning.models import Membership, NetworkMembership, Organisation, Participation
from commissioning.standing import Standing, standing_of

Role = Membership.Role
Kind = Organisation.Kind
PROVIDER_KINDS = frozenset({Kind.PROVIDER, Kind.PROVIDER_NETWORK})


def _administered_ids(standing: Standing, acting_for: Organisation | None) -> set[int]:
    """Ids of the organisations whose people the person looks after, acting for `acting_for`
    (or for any of theirs), apart from the political bodies of a managed purchaser."""
    if acting_for is None:
        return set(standing.managed_purchasers | standing.administered)
    return {acting_for.id} & set(standing.managed_purchasers | standing.administered)


def administered_organisations(person, acting_for: Organisation | None = None):
    """The organisations whose people the person invites and removes: the purchasers they
    manage and the political bodies overseeing those, and the provider organisations and
    networks where they are an admin. Acting for one organisation, those of that one."""
    ids = _administered_ids(standing_of(person), acting_for)
    return Organisation.objects.filter(Q(id__in=ids) | Q(oversees__in=ids))


def _takes_part_condition(purchaser_ids) -> Q:
    participating = Participation.objects.filter(programme__purchaser__in=purchaser_ids)
    members_of_networks = NetworkMembership.objects.filter(
        network__in=participating.values("organisation")
    )
    return Q(kind__in=PROVIDER_KINDS) & (
        Q(id__in=participating.values("organisation"))
        | Q(id__in=members_of_networks.values("provider"))
    )


def _has_admin(organisation_ids) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation__in=organisation_ids, role=Role.PROVIDER_REPRESENTATIVE, is_admin=True
    )


def first_representative_organisations(person, acting_for: Organisation | None = None):
    """The providers and networks taking part in a programme of a purchaser the person is
    staff of (acting for it, if named) that have no organisation admin yet: the ones whose
    first representative the person may invite."""
    purchasers = set(standing_of(person).staff_purchasers)
    if acting_for is not None:
        purchasers &= {acting_for.id}
    candidates = Organisation.objects.filter(_takes_part_condition(purchasers))
    with_admin = _has_admin(candidates.values("id")).values("organisation_id")
    return candidates.exclude(id__in=with_admin)


def _require_role_fits(organisation: Organisation, role: str, is_admin: bool) -> None:
    allowed = Membership.ROLES_BY_KIND.get(organisation.kind, set())
    if role not in allowed:
        raise RuleViolation(
            _("%(organisation)s is a %(kind)s: invite people to it as %(allowed)s.")
            % {
                "organisation": organisation.name,
                "kind": organisation.get_kind_display().lower(),
                "allowed": ", ".join(str(Role(r).label).lower() for r in sorted(allowed)),
            },
            fields={"role": [_("Does not fit the organisation's kind.")]},
        )
    if is_admin and role != Role.PROVIDER_REPRESENTATIVE:
        raise RuleViolation(
            _(
                "The organisation-admin right is for a provider organisation's or network's "
                "representatives; a purchaser's managers look after its people."
            ),
            fields={"is_admin": [_("Only for provider representatives.")]},
        )


def _refuse(standing: Standing, acting_for: Organisation, organisation: Organisation):
    """The refusal that says what the person may do instead."""
    roles = standing.roles.get(acting_for.id, frozenset())
    if roles and roles <= {Role.POLITICIAN}:
        return Forbidden(
            _("Politicians read programmes and briefings; they cannot change anything."),
            code="read_only",
        )
    if acting_for.id in standing.staff_purchasers:
        return Forbidden(
            _(
                "Only a commissioning manager of %(purchaser)s invites its managers, officers "
                "and politicians; its staff invite the first representative of a provider "
                "taking part in its programmes."
            )
            % {"purchaser": acting_for.name},
            code="not_manager",
        )
    if acting_for.id in standing.administered:
        return Forbidden(
            _(
                "As an admin of %(own)s you invite colleagues to %(own)s only, not to "
                "%(organisation)s."
            )
            % {"own": acting_for.name, "organisation": organisation.name},
            code="not_your_organisation",
        )
    return Forbidden(
        _(
            "Only an organisation admin of %(organisation)s invites and removes its people; "
            "ask one of them."
        )
        % {"organisation": acting_for.name},
        code="not_organisation_admin",
    )


def require_may_invite(
    person, acting_for: Organisation, organisation: Organisation, role: str, is_admin: bool
) -> None:
    """Whether the person, acting for `acting_for`, may invite someone to `organisation` in
    `role` (with the organisation-admin right or not)."""
    _require_role_fits(organisation, role, is_admin)
    standing = standing_of(person)
    if administered_organisations(person, acting_for).filter(pk=organisation.pk).exists():
        return
    if acting_for.id in standing.staff_purchasers and organisation.kind in PROVIDER_KINDS:
        _require_first_representative(acting_for, organisation, is_admin)
        return
    raise _refuse(standing, acting_for, organisation)


def _require_first_representative(
    purchaser: Organisation, organisation: Organisation, is_admin: bool
) -> None:
    if not Organisation.objects.filter(
        _takes_part_condition([purchaser.id]), pk=organisation.pk
    ).exists():
        raise Forbidden(
            _(
                "%(organisation)s takes part in none of %(purchaser)s's programmes: add it to "
                "a programme first, or ask its own organisation admin to invite people."
            )
            % {"organisation": organisation.name, "purchaser": purchaser.name},
            code="not_taking_part",
        )
    admins = list(
        _has_admin([organisation.id])
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    if admins:
        raise Conflict(
            _(
                "%(organisation)s already has an organisation admin (%(names)s), who invites "
                "its people."
            )
            % {
                "organisation": organisation.name,
                "names": ", ".join(a.person.get_full_name() or a.person.username for a in admins),
            },
            code="has_admin",
        )
    if not is_admin:
        raise RuleViolation(
            _(
                "The first representative of a provider organisation or network is its "
                "organisation admin, who then invites the colleagues: give the admin right."
            ),
            fields={
                "is_admin": [
                    _(
                        "The first representative is its organisation admin, who invites "
                        "the colleagues: give the admin right."
                    )
                ]
            },
        )


def require_may_manage_invitation(person, acting_for: Organisation, invitation) -> None:
    """Whether the person, acting for `acting_for`, may revoke an invitation (a resend is an
    invitation again: require_may_invite)."""
    standing = standing_of(person)
    organisation = invitation.organisation
    if administered_organisations(person, acting_for).filter(pk=organisation.pk).exists():
        return
    staff_invitation = (
        organisation.kind in PROVIDER_KINDS and invitation.invited_for_id == acting_for.id
    )
    if staff_invitation and acting_for.id in standing.staff_purchasers:
        return
    raise _refuse(standing, acting_for, organisation)


def require_may_end(person, acting_for: Organisation, membership: Membership) -> None:
    """Whether the person, acting for `acting_for`, may end a membership: a manager those of
    the purchaser and its political bodies, an organisation admin those of the organisation.
    A purchaser keeps at least one manager (else nobody could invite its people again)."""
    standing = standing_of(person)
    organisation = membership.organisation
    if not administered_organisations(person, acting_for).filter(pk=organisation.pk).exists():
        raise _refuse(standing, acting_for, organisation)
    if membership.role == Role.MANAGER:
        others = Membership.objects.filter(organisation=organisation, role=Role.MANAGER).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise Conflict(
                _(
                    "%(name)s is the last commissioning manager of %(purchaser)s: invite "
                    "another manager first, so that someone can still invite its people."
                )
                % {
                    "name": membership.person.get_full_name() or membership.person.username,
                    "purchaser": organisation.name,
                },
                code="last_manager",
            )
