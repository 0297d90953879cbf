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


CONTRACT_COLUMNS = [
    "id",
    "programme_id",
    "purchaser_id",
    "reference",
    "status",
    "signed_at",
    "status_changed_at",
]
VERSION_COLUMNS = [
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
]
OBLIGATION_COLUMNS = ["id", "contract_id", "title", "owed_by_id", "cadence", "first_due", "until"]


class _ContractRows:
    def __init__(self):
        self.contract_ids, self.party_ids = Ids(Contract), Ids(ContractParty)
        self.version_ids, self.obligation_ids = Ids(ContractVersion), Ids(Obligation)
        self.contracts, self.parties, self.versions, self.obligations = [], [], [], []
        self.owners = []  # (programme, contract, start) for the milestones


def _contracts(built: Built, random) -> None:
    rows = _ContractRows()
    for c in range(built.sizes["contracts"]):
        contract, g, lead, start, signed_at = _contract(built, random, rows, c)
        _versions(built, random, rows, c, contract, g, start, signed_at)
        _obligations(built, rows, c, contract, g, lead, start)
        rows.owners.append((built.programmes[g], contract, start))
    _write_contracts(built, random, rows)


def _contract(built: Built, random, rows: _ContractRows, c: int) -> tuple:
    """Contract `c` of a programme with its lead provider (and a partner in one of four):
    (contract id, programme index, lead, start, signed at)."""
    size = built.sizes
    g = c % size["programmes"]
    purchaser = built.purchasers[built.programme_purchaser[g]]
    participants = built.participants[g]
    lead = participants[(c // size["programmes"]) % len(participants)]
    contract = rows.contract_ids.one()
    status = random.choice(STATUSES)
    start = datetime.date(2022, 1, 1) + datetime.timedelta(days=random.randrange(1400))
    signed_at = None
    if status in SIGNED:
        signed_at = datetime.datetime.combine(
            start - datetime.timedelta(days=30), datetime.time(10), tzinfo=datetime.UTC
        )
    reference = f"C-{c:05}"
    rows.contracts.append((contract, g, purchaser, reference, status, signed_at, signed_at or NOW))
    built.contracts.append(contract)
    rows.parties.append((rows.party_ids.one(), contract, lead, ContractParty.Role.LEAD_PROVIDER))
    if c % 4 == 0 and len(participants) > 1:
        partner = participants[(participants.index(lead) + 1) % len(participants)]
        rows.parties.append((rows.party_ids.one(), contract, partner, ContractParty.Role.PROVIDER))
    return contract, g, lead, start, signed_at


def _versions(built: Built, random, rows: _ContractRows, c, contract, g, start, signed_at):
    """One to three versions; the later ones of a signed contract are sealed amendments."""
    currency = COUNTRIES[built.purchaser_country[built.programme_purchaser[g]]][3]
    kind = random.choice(KINDS)
    value = decimal.Decimal(random.randrange(100_000, 90_000_000)).quantize(decimal.Decimal("0.01"))
    for number in range(1, 2 + c % 3):
        sealed = signed_at is not None
        rows.versions.append(
            (
                rows.version_ids.one(),
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
                "Clinical governance shared through the provider council." if number > 1 else "",
                (signed_at + datetime.timedelta(days=90 * (number - 1))) if sealed else None,
            )
        )


def _obligations(built: Built, rows: _ContractRows, c, contract, g, lead, start) -> None:
    purchaser = built.purchasers[built.programme_purchaser[g]]
    for k in range(OBLIGATIONS_PER_CONTRACT):
        rows.obligations.append(
            (
                rows.obligation_ids.one(),
                contract,
                ("Report waiting times", "Quality report", "Patient survey")[k % 3],
                lead if k < 2 else purchaser,
                CADENCES[(c + k) % len(CADENCES)],
                start + datetime.timedelta(days=30 * (k + 1)),
                start + datetime.timedelta(days=365 * 2),
            )
        )


def _write_contracts(built: Built, random, rows: _ContractRows) -> None:
    built.count(
        "contracts",
        copy_rows(
            Contract,
            CONTRACT_COLUMNS,
            ((i, built.programmes[g], *rest) for i, g, *rest in rows.contracts),
        ),
    )
    copy_rows(ContractParty, ["id", "contract_id", "organisation_id", "role"], rows.parties)
    built.count("contract versions", copy_rows(ContractVersion, VERSION_COLUMNS, rows.versions))
    built.count("obligations", copy_rows(Obligation, OBLIGATION_COLUMNS, rows.obligations))
    built.count("milestones", milestones(built, random, rows.owners, MILESTONES_PER_CONTRACT))


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


RULEBOOK_VERSION_COLUMNS = [
    "id",
    "rulebook_id",
    "number",
    "status",
    "summary",
    "based_on_id",
    "adopted_at",
    "created_by_id",
    "created_at",
]
CLAUSE_COLUMNS = ["id", "version_id", "key", "lineage", "position", "heading", "text"]


class _RulebookRows:
    def __init__(self):
        self.rulebook_ids, self.version_ids = Ids(Rulebook), Ids(RulebookVersion)
        self.clause_ids = Ids(Clause)
        self.rulebooks, self.versions, self.clauses = [], [], []


def _rulebooks(built: Built, random) -> None:
    """One rulebook per programme; the versions shared out over them, each with its clauses.
    The latest version of a rulebook is in consultation, out of it or adopted (a third
    each); the consultations (dialogue section) are on every version."""
    size = built.sizes
    rows = _RulebookRows()
    per_rulebook = [0] * size["programmes"]
    for r in range(size["rulebook_versions"]):
        per_rulebook[r % size["programmes"]] += 1
    for g, count in enumerate(per_rulebook):
        if count:
            _rulebook(built, random, rows, g, count)
    copy_rows(Rulebook, ["id", "programme_id", "title"], rows.rulebooks)
    built.count(
        "rulebook versions", copy_rows(RulebookVersion, RULEBOOK_VERSION_COLUMNS, rows.versions)
    )
    built.count("clauses", copy_rows(Clause, CLAUSE_COLUMNS, rows.clauses))


def _rulebook(built: Built, random, rows: _RulebookRows, g: int, count: int) -> None:
    """The rulebook of programme `g` with its `count` versions, oldest first."""
    V = RulebookVersion.Status
    home = built.programme_purchaser[g]
    rulebook = rows.rulebook_ids.one()
    rows.rulebooks.append((rulebook, built.programmes[g], f"Rulebook of programme {g:03}"))
    last = (V.IN_CONSULTATION, V.CONSULTATION_CLOSED, V.ADOPTED)[g % 3]
    lineages = [
        uuid.UUID(int=random.getrandbits(128), version=4) for _ in range(CLAUSES_PER_VERSION)
    ]
    texts = [clause_text(random) for _ in range(CLAUSES_PER_VERSION)]
    previous = None
    for number, status in enumerate(version_statuses(count, last), start=1):
        version = rows.version_ids.one()
        created = NOW - datetime.timedelta(days=120 * (count - number) + 60)
        adopted = status in (V.ADOPTED, V.SUPERSEDED)
        rows.versions.append(
            (
                version,
                rulebook,
                number,
                status,
                f"Version {number}.",
                previous,
                created + datetime.timedelta(days=50) if adopted else None,
                built.officers[home],
                created,
            )
        )
        built.rulebook_versions.append((version, g, status, created))
        _clauses(built, random, rows, version, number, lineages, texts)
        previous = version


def _clauses(built: Built, random, rows: _RulebookRows, version, number, lineages, texts):
    """The clauses of one version: a later version rewrites about one in ten (`texts` is
    the rulebook's current wording, changed in place); the lineage stays."""
    own = []
    for position in range(CLAUSES_PER_VERSION):
        if number > 1 and random.random() < 0.1:
            texts[position] = clause_text(random)
        clause = rows.clause_ids.one()
        own.append((clause, texts[position]))
        rows.clauses.append(
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
    built.clauses[version] = own
