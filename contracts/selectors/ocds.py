"""A programme as an Open Contracting Data Standard 1.1 release package.

One release per programme with everything known about it: the purchaser as buyer and
procuring entity, the participants as tenderers, the contract parties as suppliers, the
programme's milestones in planning (before the decision) and tender, and each contract with
its own milestones and its amendments (the contract versions marked as amendments). Only
what the asking person may see is exported.

The package is a release package, not a record: its release is tagged with the stages it
carries (releaseTag.csv), never `compiled`, which the standard keeps for the compiled release
of a record. Free text, country names included, is in the release's `language`.

The ocid is OCID_PREFIX + the programme id. OCDS asks publishers to register a prefix with
the Open Contracting Partnership; until an installation has one, this fixed prefix keeps the
ids stable (a setting would be the place for a registered prefix).
"""

import datetime
from decimal import Decimal

from babel import Locale
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.models import Milestone, Organisation, Programme
from contracts.models import Contract, ContractParty, ContractVersion

OCID_PREFIX = "ocds-commissioning-"
OCDS_VERSION = "1.1"
PUBLISHER_NAME = "Commissioning dialogue and contract tracker"

# milestoneStatus.csv has scheduled, met, notMet, partiallyMet. A waived milestone did not
# happen: it is exported as notMet, honestly, with the manager's reason in its description,
# rather than as met, which would tell readers the dialogue took place. A planned milestone
# past its due date is notMet too (see _milestone_status).
MILESTONE_STATUS = {
    Milestone.Status.PLANNED: "scheduled",
    Milestone.Status.MET: "met",
    Milestone.Status.MISSED: "notMet",
    Milestone.Status.WAIVED: "notMet",
}

# contractStatus.csv: pending (not yet in force), active, cancelled (before signing),
# terminated (signed, and come to a close, whether at its end or early).
CONTRACT_STATUS = {
    "draft": "pending",
    "in_dialogue": "pending",
    "negotiation": "pending",
    "finalised": "pending",
    "signed": "pending",
    "active": "active",
    "ended": "terminated",
    "terminated": "terminated",
}

# awardStatus.csv: the award a contract stems from.
AWARD_STATUS = {
    "draft": "pending",
    "in_dialogue": "pending",
    "negotiation": "pending",
    "finalised": "pending",
    "signed": "active",
    "active": "active",
    "ended": "active",
    "terminated": "active",
}

# tenderStatus.csv, from the programme's phase.
TENDER_STATUS = {
    Programme.Phase.PLANNING: "planning",
    Programme.Phase.EARLY_DIALOGUE: "planning",
    Programme.Phase.CONSULTATION: "active",
    Programme.Phase.DECISION: "active",
    Programme.Phase.CONTRACTING: "complete",
    Programme.Phase.DELIVERY: "complete",
    Programme.Phase.CLOSED: "complete",
}

PRE_DECISION_KINDS = {"preProcurement", "engagement"}


def ocds_datetime(value) -> str | None:
    """OCDS dates are date-times; a date is the start of that day in UTC."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def party_id(organisation_id: int) -> str:
    return f"org-{organisation_id}"


def _milestone_status(milestone: Milestone) -> tuple[str, datetime.datetime]:
    """The OCDS status and the dateModified it holds at. `scheduled` says progress "has not
    yet been evaluated"; a planned milestone past its due date has been: it "had not been met"
    (notMet) since its due day ended, before the nightly job marks it missed."""
    if not milestone.is_overdue:
        return MILESTONE_STATUS[milestone.status], milestone.updated_at
    day_after = milestone.effective_due_date + datetime.timedelta(days=1)
    overdue_since = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    return "notMet", max(milestone.updated_at, overdue_since)


def _milestone(milestone: Milestone) -> dict:
    description = milestone.description
    if milestone.status == Milestone.Status.WAIVED:
        description = "\n\n".join(
            part
            for part in (description, _("Waived: %(reason)s") % {"reason": milestone.waiver_reason})
            if part
        )
    status, modified = _milestone_status(milestone)
    data = {
        "id": f"milestone-{milestone.pk}",
        "title": milestone.title,
        "type": milestone.kind,
        "status": status,
        "dueDate": ocds_datetime(milestone.effective_due_date),
        "dateMet": ocds_datetime(milestone.met_on),
        "dateModified": ocds_datetime(modified),
    }
    if description:
        data["description"] = description
    return {key: value for key, value in data.items() if value is not None}


def _amount(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _contract(contract, milestones: list[Milestone]) -> dict:
    versions = list(contract.versions.all())
    current = versions[-1] if versions else None
    data = {
        "id": f"contract-{contract.pk}",
        "awardID": f"award-{contract.pk}",
        "status": CONTRACT_STATUS[contract.status],
        "milestones": [_milestone(m) for m in milestones],
        "amendments": [
            {
                "id": f"contract-{contract.pk}-v{version.number}",
                "date": ocds_datetime(version.sealed_at or version.created_at),
                "description": version.change_summary or version.title,
                "rationale": version.change_summary,
            }
            for version in versions
            if version.is_amendment
        ],
    }
    if contract.signed_at:
        data["dateSigned"] = ocds_datetime(contract.signed_at)
    if current is not None:
        data["title"] = current.title
        period = {
            "startDate": ocds_datetime(current.period_start),
            "endDate": ocds_datetime(current.period_end),
        }
        period = {k: v for k, v in period.items() if v}
        if period:
            data["period"] = period
        if current.value is not None and current.currency:
            data["value"] = {"amount": _amount(current.value), "currency": current.currency}
    if not data["amendments"]:
        del data["amendments"]
    return data


def _award(contract) -> dict:
    return {
        "id": f"award-{contract.pk}",
        "status": AWARD_STATUS[contract.status],
        "suppliers": [
            {"id": party_id(party.organisation_id), "name": party.organisation.name}
            for party in contract.parties.all()
        ],
    }


def release_package(*, person, programme: Programme, uri: str) -> dict:
    """The OCDS release package of a programme the person can see, its words in the
    programme's language (the release's `language`)."""
    with translation.override(programme.language):
        return _release_package(person=person, programme=programme, uri=uri)


def _contracts(person, programme: Programme) -> list[Contract]:
    """The programme's contracts the person can see, with their versions and parties."""
    return list(
        policies.visible_contracts(person)
        .filter(programme=programme)
        .prefetch_related(
            Prefetch("versions", queryset=ContractVersion.objects.order_by("number")),
            Prefetch(
                "parties",
                queryset=ContractParty.objects.select_related("organisation").order_by("id"),
            ),
        )
        .order_by("id")
    )


def _country_name(code: str, language: str) -> str | None:
    """Address.countryName is a name ("For example, United States."), in the release's
    language, from CLDR (babel). OCDS 1.1 core has no field for the ISO code itself."""
    return Locale.parse(language).territories.get(code.upper())


def _parties(
    programme: Programme, participants: list[Organisation], contracts: list[Contract]
) -> list[dict]:
    """Every organisation of the release once, with all its roles: the purchaser as buyer and
    procuring entity, the participants as tenderers, the contract parties as suppliers."""
    roles: dict[int, set[str]] = {programme.purchaser_id: {"buyer", "procuringEntity"}}
    organisations: dict[int, Organisation] = {programme.purchaser_id: programme.purchaser}
    for organisation in participants:
        roles.setdefault(organisation.id, set()).add("tenderer")
        organisations[organisation.id] = organisation
    for contract in contracts:
        for party in contract.parties.all():
            roles.setdefault(party.organisation_id, set()).add("supplier")
            organisations[party.organisation_id] = party.organisation

    parties = []
    for organisation_id, organisation in organisations.items():
        party = {
            "id": party_id(organisation_id),
            "name": organisation.name,
            "roles": sorted(roles[organisation_id]),
        }
        if organisation.official_id:
            party["identifier"] = {"id": organisation.official_id, "legalName": organisation.name}
        country_name = _country_name(organisation.country, programme.language)
        if country_name:
            party["address"] = {"countryName": country_name}
        parties.append(party)
    return parties


def _tags(release: dict) -> list[str]:
    """releaseTag.csv, from what the release carries: `planning` while the tender section
    describes a proposed process (tender.status planning), else `tender`; `award` and
    `contract` with awards and contracts; `contractTermination` once every contract it
    carries has come to a close."""
    tags = ["planning" if release["tender"]["status"] == "planning" else "tender"]
    contracts = release.get("contracts", [])
    if contracts:
        tags += ["award", "contract"]
        if all(contract["status"] == "terminated" for contract in contracts):
            tags.append("contractTermination")
    return tags


def _release_package(*, person, programme: Programme, uri: str) -> dict:
    contracts = _contracts(person, programme)
    milestones = list(
        policies.visible_milestones(person)
        .filter(programme=programme)
        .select_related("programme")
        .order_by("position", "id")
    )
    participants = list(programme.participants.order_by("name", "id"))
    programme_milestones = [m for m in milestones if m.contract_id is None]
    by_contract: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        if milestone.contract_id is not None:
            by_contract.setdefault(milestone.contract_id, []).append(milestone)

    buyer = {"id": party_id(programme.purchaser_id), "name": programme.purchaser.name}
    release = {
        "ocid": f"{OCID_PREFIX}{programme.pk}",
        "id": f"{OCID_PREFIX}{programme.pk}-{ocds_datetime(programme.updated_at)}",
        "date": ocds_datetime(programme.updated_at),
        "tag": [],  # from what the release carries, below
        "initiationType": "tender",
        "language": programme.language,
        "parties": _parties(programme, participants, contracts),
        "buyer": buyer,
        "planning": {
            "rationale": programme.description,
            # The early dialogue before the decision is the planning of the process.
            "milestones": [
                _milestone(m) for m in programme_milestones if m.kind in PRE_DECISION_KINDS
            ],
        },
        "tender": {
            "id": f"tender-{programme.pk}",
            "title": programme.name,
            "status": TENDER_STATUS[programme.phase],
            "procuringEntity": buyer,
            "tenderers": [{"id": party_id(o.id), "name": o.name} for o in participants],
            "milestones": [
                _milestone(m) for m in programme_milestones if m.kind not in PRE_DECISION_KINDS
            ],
        },
    }
    if programme.description:
        release["tender"]["description"] = programme.description
    else:
        del release["planning"]["rationale"]
    if contracts:
        release["awards"] = [_award(c) for c in contracts]
        release["contracts"] = [_contract(c, by_contract.get(c.pk, [])) for c in contracts]
    release["tag"] = _tags(release)
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": ocds_datetime(timezone.now()),
        "publisher": {"name": PUBLISHER_NAME},
        "releases": [release],
    }
