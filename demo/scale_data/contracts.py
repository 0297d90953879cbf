"""Contracts with their parties, versions, obligations and milestones; rulebooks with their
versions and clauses (the same lineage across a rulebook's versions, as a copy makes)."""

import datetime
import decimal
import uuid

from contracts.models import (
    Clause,
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    Rulebook,
    RulebookVersion,
)
from demo.scale_data.copy import NOW, Ids, copy_rows
from demo.scale_data.organisations import milestones
from demo.scale_data.plan import (
    CLAUSES_PER_VERSION,
    COUNTRIES,
    MILESTONES_PER_CONTRACT,
    OBLIGATIONS_PER_CONTRACT,
    Built,
    rng,
)

Status = Contract.Status
SIGNED = {Status.SIGNED, Status.ACTIVE, Status.ENDED, Status.TERMINATED}
STATUSES = [s for s, _ in Status.choices]
KINDS = [k for k, _ in Contract.Kind.choices]
CADENCES = [c for c, _ in Obligation.Cadence.choices]
CLAUSE_WORDS = (
    "the provider shall report waiting times monthly to the purchaser and take part in the "
    "provider council where pathways are developed together with patients and clinicians "
    "payment follows the listed patient and is adjusted for need quality indicators are "
    "published every quarter and a provider may leave the scheme with six months notice"
)
WORDS = CLAUSE_WORDS.split()


def build(built: Built) -> None:
    random = rng(built.seed, "contracts")
    _contracts(built, random)
    _rulebooks(built, rng(built.seed, "rulebooks"))


def _contracts(built: Built, random) -> None:
    size = built.sizes
    contract_ids, party_ids = Ids(Contract), Ids(ContractParty)
    version_ids, obligation_ids = Ids(ContractVersion), Ids(Obligation)
    contracts, parties, versions, obligations, owners = [], [], [], [], []
    for c in range(size["contracts"]):
        g = c % size["programmes"]
        home = built.programme_purchaser[g]
        purchaser = built.purchasers[home]
        currency = COUNTRIES[built.purchaser_country[home]][3]
        participants = built.participants[g]
        lead = participants[(c // size["programmes"]) % len(participants)]
        contract = contract_ids.one()
        status = random.choice(STATUSES)
        start = datetime.date(2022, 1, 1) + datetime.timedelta(days=random.randrange(1400))
        signed_at = None
        if status in SIGNED:
            signed_at = datetime.datetime.combine(
                start - datetime.timedelta(days=30), datetime.time(10), tzinfo=datetime.UTC
            )
        contracts.append((contract, g, purchaser, f"C-{c:05}", status, signed_at, signed_at or NOW))
        built.contracts.append(contract)
        parties.append((party_ids.one(), contract, lead, ContractParty.Role.LEAD_PROVIDER))
        if c % 4 == 0 and len(participants) > 1:
            partner = participants[(participants.index(lead) + 1) % len(participants)]
            parties.append((party_ids.one(), contract, partner, ContractParty.Role.PROVIDER))
        kind = random.choice(KINDS)
        value = decimal.Decimal(random.randrange(100_000, 90_000_000)).quantize(
            decimal.Decimal("0.01")
        )
        for number in range(1, 2 + c % 3):
            sealed = signed_at is not None
            versions.append(
                (
                    version_ids.one(),
                    contract,
                    number,
                    "" if number == 1 else f"Change {number - 1}: value and reporting adjusted.",
                    sealed and number > 1,
                    f"Contract {c:05}",
                    kind,
                    start,
                    start + datetime.timedelta(days=365 * (2 + c % 3)),
                    value + 10_000 * (number - 1),
                    currency,
                    3 + c % 4,
                    "One extension of two years." if c % 2 else "",
                    "Clinical governance shared through the provider council."
                    if number > 1
                    else "",
                    (signed_at + datetime.timedelta(days=90 * (number - 1))) if sealed else None,
                )
            )
        for k in range(OBLIGATIONS_PER_CONTRACT):
            obligations.append(
                (
                    obligation_ids.one(),
                    contract,
                    ("Report waiting times", "Quality report", "Patient survey")[k % 3],
                    lead if k < 2 else purchaser,
                    CADENCES[(c + k) % len(CADENCES)],
                    start + datetime.timedelta(days=30 * (k + 1)),
                    start + datetime.timedelta(days=365 * 2),
                )
            )
        owners.append((built.programmes[g], contract, start))

    built.count(
        "contracts",
        copy_rows(
            Contract,
            [
                "id",
                "programme_id",
                "purchaser_id",
                "reference",
                "status",
                "signed_at",
                "status_changed_at",
            ],
            ((i, built.programmes[g], *rest) for i, g, *rest in contracts),
        ),
    )
    copy_rows(ContractParty, ["id", "contract_id", "organisation_id", "role"], parties)
    built.count(
        "contract versions",
        copy_rows(
            ContractVersion,
            [
                "id",
                "contract_id",
                "number",
                "change_summary",
                "is_amendment",
                "title",
                "kind",
                "period_start",
                "period_end",
                "value",
                "currency",
                "notice_period_months",
                "renewal_options",
                "clinical_governance",
                "sealed_at",
            ],
            versions,
        ),
    )
    built.count(
        "obligations",
        copy_rows(
            Obligation,
            ["id", "contract_id", "title", "owed_by_id", "cadence", "first_due", "until"],
            obligations,
        ),
    )
    built.count("milestones", milestones(built, random, owners, MILESTONES_PER_CONTRACT))


def clause_text(random) -> str:
    start = random.randrange(len(WORDS))
    length = random.randrange(25, 70)
    words = [WORDS[(start + i) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def version_statuses(count: int, last: str) -> list[str]:
    """The statuses of a rulebook's versions, oldest first: at most one adopted, the ones
    before it superseded."""
    V = RulebookVersion.Status
    if last == V.ADOPTED:
        return [V.SUPERSEDED] * (count - 1) + [V.ADOPTED]
    if count == 1:
        return [last]
    return [V.SUPERSEDED] * (count - 2) + [V.ADOPTED, last]


def _rulebooks(built: Built, random) -> None:
    """One rulebook per programme; the versions shared out over them, each with its clauses.
    The latest version of a rulebook is in consultation, out of it or adopted (a third
    each); the consultations (dialogue section) are on every version."""
    size = built.sizes
    V = RulebookVersion.Status
    rulebook_ids, version_ids, clause_ids = Ids(Rulebook), Ids(RulebookVersion), Ids(Clause)
    rulebooks, versions, clauses = [], [], []
    per_rulebook = [0] * size["programmes"]
    for r in range(size["rulebook_versions"]):
        per_rulebook[r % size["programmes"]] += 1
    for g, count in enumerate(per_rulebook):
        if count == 0:
            continue
        home = built.programme_purchaser[g]
        rulebook = rulebook_ids.one()
        rulebooks.append((rulebook, built.programmes[g], f"Rulebook of programme {g:03}"))
        last = (V.IN_CONSULTATION, V.CONSULTATION_CLOSED, V.ADOPTED)[g % 3]
        lineages = [
            uuid.UUID(int=random.getrandbits(128), version=4) for _ in range(CLAUSES_PER_VERSION)
        ]
        texts = [clause_text(random) for _ in range(CLAUSES_PER_VERSION)]
        previous = None
        for number, status in enumerate(version_statuses(count, last), start=1):
            version = version_ids.one()
            created = NOW - datetime.timedelta(days=120 * (count - number) + 60)
            adopted_at = (
                created + datetime.timedelta(days=50)
                if status
                in (
                    V.ADOPTED,
                    V.SUPERSEDED,
                )
                else None
            )
            versions.append(
                (
                    version,
                    rulebook,
                    number,
                    status,
                    f"Version {number}.",
                    previous,
                    adopted_at,
                    built.officers[home],
                    created,
                )
            )
            built.rulebook_versions.append((version, g, status, created))
            rows = []
            for position in range(CLAUSES_PER_VERSION):
                if number > 1 and random.random() < 0.1:
                    texts[position] = clause_text(random)
                clause = clause_ids.one()
                rows.append((clause, texts[position]))
                clauses.append(
                    (
                        clause,
                        version,
                        f"{position // 10 + 1}.{position % 10 + 1}",
                        lineages[position],
                        position,
                        f"Clause {position + 1}",
                        texts[position],
                    )
                )
            built.clauses[version] = rows
            previous = version
    copy_rows(Rulebook, ["id", "programme_id", "title"], rulebooks)
    built.count(
        "rulebook versions",
        copy_rows(
            RulebookVersion,
            [
                "id",
                "rulebook_id",
                "number",
                "status",
                "summary",
                "based_on_id",
                "adopted_at",
                "created_by_id",
                "created_at",
            ],
            versions,
        ),
    )
    built.count(
        "clauses",
        copy_rows(
            Clause, ["id", "version_id", "key", "lineage", "position", "heading", "text"], clauses
        ),
    )
