"""The published consultations of a purchaser as OCDS 1.1 release packages, a page at a time,
as OCDS publishers serve them (the next page named in the HTTP Link header).

A consultation on a draft rulebook is engagement in the planning of the programme's
contracting process: each is a `planningUpdate` release of the programme's ocid (the same
ocid as contracts/selectors/ocds.py's release of the programme), carrying

- `planning.documents`: the public page of the consultation, as a `hearingNotice`
  (documentType.csv: "documentation of any public hearings that took place as part of the
  planning");
- `planning.milestones`: the consultation window as an `engagement` milestone (milestoneType.csv:
  "such as a public hearing"), met at the close, its description saying how many comments
  came from how many organisations and how many were answered;
- `parties`: the purchaser (buyer, procuring entity) and every organisation that commented or
  co-signed, as `interestedParty` (partyRole.csv: "has expressed an interest in the
  contracting process").

Only what dialogue/selectors/publication.py publishes; organisations only, never a person.
"""

from django.utils.translation import gettext as _
from django.utils.translation import override

from contracts.selectors.ocds import (
    OCDS_VERSION,
    OCID_PREFIX,
    PUBLISHER_NAME,
    ocds_datetime,
    party_id,
)
from dialogue.models import Consultation

PAGE_SIZE = 50


def _parties(consultation: Consultation, entries: list[dict]) -> list[dict]:
    purchaser = consultation.purchaser
    parties = {
        purchaser.id: {
            "id": party_id(purchaser.id),
            "name": purchaser.name,
            "roles": ["buyer", "procuringEntity"],
        }
    }
    for entry in entries:
        organisations = [entry["organisation"], *entry["cosigners"]]
        for organisation in organisations:
            parties.setdefault(
                organisation["id"],
                {
                    "id": party_id(organisation["id"]),
                    "name": organisation["name"],
                    "roles": ["interestedParty"],
                },
            )
    return list(parties.values())


def _entries(record: dict) -> list[dict]:
    return [entry for clause in record["clauses"] for entry in clause["comments"]] + list(
        record["general"]
    )


def release_of(consultation: Consultation, record: dict, *, url: str) -> dict:
    """One consultation's release; `record` is publication.published_record's, `url` the
    absolute address of its public page."""
    programme = consultation.programme
    entries = _entries(record)
    answered = sum(1 for entry in entries if entry["response"] is not None)
    organisations = {entry["organisation"]["id"] for entry in entries}
    closed = consultation.closed_at or consultation.closes_at
    with override(programme.language):
        summary = _(
            "%(comments)s comments from %(organisations)s organisations; %(answered)s answered."
        ) % {"comments": len(entries), "organisations": len(organisations), "answered": answered}
    ocid = f"{OCID_PREFIX}{programme.pk}"
    planning = {
        "documents": [
            {
                "id": f"consultation-{consultation.pk}",
                "documentType": "hearingNotice",
                "title": consultation.title,
                "description": summary,
                "url": url,
                "datePublished": ocds_datetime(closed),
                "format": "text/html",
                "language": programme.language,
            }
        ],
        "milestones": [
            {
                "id": f"consultation-{consultation.pk}",
                "title": consultation.title,
                "type": "engagement",
                "description": summary,
                "dueDate": ocds_datetime(consultation.closes_at),
                "dateMet": ocds_datetime(closed),
                "status": "met",
            }
        ],
    }
    if consultation.description:
        planning["rationale"] = consultation.description
    purchaser = consultation.purchaser
    return {
        "ocid": ocid,
        "id": f"{ocid}-consultation-{consultation.pk}",
        "date": ocds_datetime(closed),
        "tag": ["planningUpdate"],
        "initiationType": "tender",
        "language": programme.language,
        "parties": _parties(consultation, entries),
        "buyer": {"id": party_id(purchaser.id), "name": purchaser.name},
        "planning": planning,
    }


def release_package(releases: list[dict], *, uri: str, published) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": ocds_datetime(published),
        "publisher": {"name": PUBLISHER_NAME},
        "releases": releases,
    }
