"""Purchasers with their political bodies and staff, providers and networks with their
representatives, programmes with their participants and milestones."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from commissioning.models import (
    Membership,
    Milestone,
    MilestoneKind,
    NetworkMembership,
    Organisation,
    Participation,
    Programme,
)
from demo.people import DEMO_PASSWORD
from demo.scale_data.copy import NOW, Ids, copy_rows
from demo.scale_data.plan import (
    COUNTRIES,
    MILESTONES_PER_PROGRAMME,
    NETWORK_MEMBERS,
    OFFICIAL_ID_PREFIX,
    PARTICIPANTS_PER_PROGRAMME,
    USERNAME_PREFIX,
    Built,
    rng,
)

Kind = Organisation.Kind
Role = Membership.Role
OWNERSHIPS = [
    Organisation.Ownership.PUBLIC,
    Organisation.Ownership.PRIVATE,
    Organisation.Ownership.NON_PROFIT,
]
SERVICES = [
    "Primary care",
    "Home care",
    "Rehabilitation",
    "Mental health",
    "Maternity",
    "Elderly care",
    "Urgent care",
    "Dental care",
]
PHASES = [phase for phase, _ in Programme.Phase.choices]
MILESTONE_KINDS = [kind for kind, _ in MilestoneKind.choices]


USER_COLUMNS = [
    "id",
    "username",
    "password",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_superuser",
    "is_active",
    "date_joined",
]


class _Rows:
    """The organisations, people and memberships of the section, gathered before the COPY."""

    def __init__(self):
        # Hashed once with a fixed salt: one hash for everyone, the same in every run.
        # The demo's password (README): a generated person can sign in to look around.
        self.password = make_password(DEMO_PASSWORD, salt="scaledata")
        self.organisation_ids, self.user_ids = Ids(Organisation), Ids(get_user_model())
        self.organisations, self.users, self.memberships = [], [], []
        self.network_members = []
        self.network_home = []

    def person(self, username: str, first: str, last: str) -> int:
        user_id = self.user_ids.one()
        self.users.append(
            (
                user_id,
                f"{USERNAME_PREFIX}{username}",
                self.password,
                first,
                last,
                f"{username}@scale.example",
                False,
                False,
                True,
                NOW,
            )
        )
        return user_id

    def member(self, user_id: int, organisation_id: int, role: str) -> None:
        self.memberships.append((user_id, organisation_id, role))


def build(built: Built) -> None:
    random = rng(built.seed, "organisations")
    rows = _Rows()
    _purchasers(built, rows)
    _providers(built, random, rows)
    _networks(built, rows)
    _write(built, rows)
    _programmes(built, random, rows.network_home)


def _purchasers(built: Built, rows: _Rows) -> None:
    """Each purchaser with its political body, a manager, an officer and a politician."""
    for p in range(built.sizes["purchasers"]):
        country = p % len(COUNTRIES)
        code = COUNTRIES[country][0]
        purchaser = rows.organisation_ids.one()
        rows.organisations.append(
            (purchaser, f"Purchaser {p:02}", Kind.PURCHASER, "", code, f"{OFFICIAL_ID_PREFIX}P{p}")
        )
        body = rows.organisation_ids.one()
        rows.organisations.append(
            (
                body,
                f"Committee of purchaser {p:02}",
                Kind.POLITICAL_BODY,
                "",
                code,
                f"{OFFICIAL_ID_PREFIX}B{p}",
                purchaser,
            )
        )
        built.purchasers.append(purchaser)
        built.purchaser_country.append(country)
        built.political_bodies.append(body)
        manager = rows.person(f"p{p:02}-manager", "Manager", f"P{p:02}")
        officer = rows.person(f"p{p:02}-officer", "Officer", f"P{p:02}")
        politician = rows.person(f"p{p:02}-politician", "Politician", f"P{p:02}")
        rows.member(manager, purchaser, Role.MANAGER)
        rows.member(officer, purchaser, Role.OFFICER)
        rows.member(politician, body, Role.POLITICIAN)
        built.managers.append(manager)
        built.officers.append(officer)
        built.representative[body] = politician


def _providers(built: Built, random, rows: _Rows) -> None:
    """Each provider with its representative, at home with one purchaser."""
    for v in range(built.sizes["providers"]):
        home = v % built.sizes["purchasers"]
        provider = rows.organisation_ids.one()
        code = COUNTRIES[built.purchaser_country[home]][0]
        rows.organisations.append(
            (
                provider,
                f"{random.choice(SERVICES)} provider {v:04}",
                Kind.PROVIDER,
                random.choice(OWNERSHIPS),
                code,
                f"{OFFICIAL_ID_PREFIX}V{v}",
            )
        )
        built.providers.append(provider)
        built.provider_home.append(home)
        representative = rows.person(f"provider-{v:04}", "Representative", f"V{v:04}")
        rows.member(representative, provider, Role.PROVIDER_REPRESENTATIVE)
        built.representative[provider] = representative


def _networks(built: Built, rows: _Rows) -> None:
    """Each network with its representative and members from its purchaser's providers."""
    size = built.sizes
    for k in range(size["networks"]):
        home = k % size["purchasers"]
        network = rows.organisation_ids.one()
        code = COUNTRIES[built.purchaser_country[home]][0]
        rows.organisations.append(
            (
                network,
                f"Provider network {k:02}",
                Kind.PROVIDER_NETWORK,
                "",
                code,
                f"{OFFICIAL_ID_PREFIX}N{k}",
            )
        )
        built.networks.append(network)
        rows.network_home.append(home)
        representative = rows.person(f"network-{k:02}", "Representative", f"N{k:02}")
        rows.member(representative, network, Role.PROVIDER_REPRESENTATIVE)
        built.representative[network] = representative
        pool = built.pool(home)
        start = (k // size["purchasers"]) * NETWORK_MEMBERS
        chosen = {pool[(start + i) % len(pool)] for i in range(min(NETWORK_MEMBERS, len(pool)))}
        rows.network_members.extend((network, provider, NOW) for provider in sorted(chosen))


def _write(built: Built, rows: _Rows) -> None:
    built.count(
        "organisations",
        copy_rows(
            Organisation,
            ["id", "name", "kind", "ownership", "country", "official_id", "oversees_id"],
            (row if len(row) == 7 else (*row, None) for row in rows.organisations),
        ),
    )
    built.count("people", copy_rows(get_user_model(), USER_COLUMNS, rows.users))
    membership_ids = Ids(Membership)
    built.count(
        "memberships",
        copy_rows(
            Membership,
            ["id", "person_id", "organisation_id", "role"],
            ((membership_ids.one(), *row) for row in rows.memberships),
        ),
    )
    network_ids = Ids(NetworkMembership)
    copy_rows(
        NetworkMembership,
        ["id", "network_id", "provider_id", "created_at"],
        ((network_ids.one(), *row) for row in rows.network_members),
    )


def _programmes(built: Built, random, network_home: list[int]) -> None:
    size = built.sizes
    programme_ids, participation_ids = Ids(Programme), Ids(Participation)
    programmes, participations = [], []
    for g in range(size["programmes"]):
        home = g % size["purchasers"]
        _, language, framework, _, time_zone = COUNTRIES[built.purchaser_country[home]]
        programme = programme_ids.one()
        target = datetime.date(2024, 1, 15) + datetime.timedelta(days=random.randrange(1200))
        programmes.append(
            (
                programme,
                built.purchasers[home],
                f"{random.choice(SERVICES)} {2020 + g % 7} programme {g:03}",
                "Generated for the scale benchmarks.",
                framework,
                random.choice(PHASES),
                target,
                language,
                time_zone,
            )
        )
        pool = built.pool(home)
        start = (g // size["purchasers"]) * PARTICIPANTS_PER_PROGRAMME
        chosen = sorted(
            {
                pool[(start + i) % len(pool)]
                for i in range(min(PARTICIPANTS_PER_PROGRAMME, len(pool)))
            }
        )
        chosen += [n for n, h in zip(built.networks, network_home, strict=True) if h == home]
        built.programmes.append(programme)
        built.programme_purchaser.append(home)
        built.participants.append(chosen)
        participations.extend((participation_ids.one(), programme, o) for o in chosen)
    built.count(
        "programmes",
        copy_rows(
            Programme,
            [
                "id",
                "purchaser_id",
                "name",
                "description",
                "framework",
                "phase",
                "target_decision_date",
                "language",
                "time_zone",
            ],
            programmes,
        ),
    )
    built.count(
        "participations",
        copy_rows(Participation, ["id", "programme_id", "organisation_id"], participations),
    )
    built.count(
        "milestones",
        milestones(
            built,
            random,
            [
                (programme, None, target)
                for (programme, *_rest, target, _language, _zone) in programmes
            ],
            MILESTONES_PER_PROGRAMME,
        ),
    )


def milestones(built: Built, random, owners, per_owner: int, ids: Ids | None = None) -> int:
    """`per_owner` milestones for each (programme, contract or None, due around) given."""
    ids = ids or Ids(Milestone)
    rows = []
    for programme, contract, around in owners:
        for position in range(1, per_owner + 1):
            due = around + datetime.timedelta(days=(position - per_owner // 2) * 30)
            status, met_on, reason = Milestone.Status.PLANNED, None, ""
            if due < NOW.date():
                status = random.choices(
                    [Milestone.Status.MET, Milestone.Status.MISSED, Milestone.Status.WAIVED],
                    weights=[8, 1, 1],
                )[0]
                if status == Milestone.Status.MET:
                    met_on = due - datetime.timedelta(days=random.randrange(10))
                elif status == Milestone.Status.WAIVED:
                    reason = "Not needed for this service; agreed with the providers."
            rows.append(
                (
                    ids.one(),
                    programme,
                    contract,
                    position,
                    f"Step {position}",
                    random.choice(MILESTONE_KINDS),
                    status,
                    position % 4 == 0,
                    due,
                    met_on,
                    reason,
                )
            )
    return copy_rows(
        Milestone,
        [
            "id",
            "programme_id",
            "contract_id",
            "position",
            "title",
            "kind",
            "status",
            "gating",
            "due_date",
            "met_on",
            "waiver_reason",
        ],
        rows,
    )
