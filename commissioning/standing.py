"""What a person's memberships give them (roles per organisation, the purchasers they are
staff of or oversee, the organisations they take part through), loaded once per request.
The policy (`commissioning/policies.py`) decides from it; callers read it as
`policies.standing_of`."""

from dataclasses import dataclass, field

from commissioning.models import Membership, NetworkMembership, Organisation

Role = Membership.Role
STAFF_ROLES = frozenset({Role.MANAGER, Role.OFFICER})


@dataclass(frozen=True)
class Standing:
    """What a person's memberships give them, loaded once per request."""

    roles: dict[int, frozenset[str]] = field(default_factory=dict)  # organisation id -> roles
    staff_purchasers: frozenset[int] = frozenset()
    managed_purchasers: frozenset[int] = frozenset()
    provider_organisations: frozenset[int] = frozenset()
    # Provider organisations and the networks they belong to: what "takes part" for them.
    taking_part: frozenset[int] = frozenset()
    overseen_purchasers: frozenset[int] = frozenset()
    # Provider organisations and networks where the person has the organisation-admin right
    # (invites and removes colleagues: commissioning.grants).
    administered: frozenset[int] = frozenset()

    @property
    def organisations(self) -> frozenset[int]:
        return frozenset(self.roles)

    @property
    def readable_purchasers(self) -> frozenset[int]:
        return self.staff_purchasers | self.overseen_purchasers


def standing_of(person) -> Standing:
    if person is None or not person.is_authenticated:
        return Standing()
    cached = getattr(person, "_standing", None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    staff, managed, providers, overseen, administered = set(), set(), set(), set(), set()
    for organisation_id, role, kind, oversees_id, is_admin in Membership.objects.filter(
        person=person
    ).values_list(
        "organisation_id", "role", "organisation__kind", "organisation__oversees_id", "is_admin"
    ):
        roles.setdefault(organisation_id, set()).add(role)
        if role in STAFF_ROLES and kind == Organisation.Kind.PURCHASER:
            staff.add(organisation_id)
            if role == Role.MANAGER:
                managed.add(organisation_id)
        elif role == Role.PROVIDER_REPRESENTATIVE:
            providers.add(organisation_id)
            if is_admin:
                administered.add(organisation_id)
        elif role == Role.POLITICIAN and oversees_id:
            overseen.add(oversees_id)
    networks = set()
    if providers:
        networks = set(
            NetworkMembership.objects.filter(provider__in=providers).values_list(
                "network_id", flat=True
            )
        )
    standing = Standing(
        roles={org: frozenset(r) for org, r in roles.items()},
        staff_purchasers=frozenset(staff),
        managed_purchasers=frozenset(managed),
        provider_organisations=frozenset(providers),
        taking_part=frozenset(providers | networks),
        overseen_purchasers=frozenset(overseen),
        administered=frozenset(administered),
    )
    person._standing = standing
    return standing


def forget_standing(person) -> None:
    """Drop the cached standing, after the person's memberships changed."""
    if hasattr(person, "_standing"):
        del person._standing
