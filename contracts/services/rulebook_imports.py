"""A rulebook file imported as the next version: the preview (parsed and matched, nothing
saved) and the save, in one transaction with the rules of any new version (purchaser staff of
the rulebook's purchaser; one draft at a time). Both match the file's clauses to the latest
version's with contracts.interchange.matching, so that the diff and the comments' anchors
follow each clause; the save matches again under the rulebook's lock, so what is saved is
what the latest version is at that moment."""

from django.db import transaction

from commissioning import policies
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from contracts.interchange.matching import match_clauses
from contracts.interchange.parsed import ParsedDocument
from contracts.models import Clause, Rulebook, RulebookVersion
from contracts.services.clauses import clean_key
from contracts.services.rulebooks import Status, require_no_open_draft


def _latest(rulebook: Rulebook) -> RulebookVersion | None:
    return rulebook.versions.order_by("-number").first()


def _matched(rulebook: Rulebook, parsed: ParsedDocument):
    latest = _latest(rulebook)
    previous = list(latest.clauses.order_by("position", "key", "id")) if latest else []
    matches, removed = match_clauses(parsed.clauses, previous)
    return latest, matches, removed


def preview_import(*, actor, acting_for: Organisation, rulebook: Rulebook, parsed) -> dict:
    """What saving would make, with nothing saved: each clause with its status against the
    latest version (new, unchanged, changed, moved, and the old key), the clauses it would
    remove, and what the file held that is not imported."""
    policies.require_purchaser_staff(actor, acting_for, rulebook.programme.purchaser)
    latest, matches, removed = _matched(rulebook, parsed)
    open_draft = rulebook.versions.filter(status=Status.DRAFT).first()
    return {
        "based_on": {"id": latest.id, "number": latest.number} if latest else None,
        "next_number": (latest.number + 1) if latest else 1,
        "open_draft": {"id": open_draft.id, "number": open_draft.number} if open_draft else None,
        "clauses": [
            {
                "key": m.clause.key,
                "heading": m.clause.heading,
                "text": m.clause.text,
                "status": m.status,
                "old_key": m.old_key,
            }
            for m in matches
        ],
        "removed": [{"key": c.key, "heading": c.heading} for c in removed],
        "notes": [{"kind": n.kind, "label": n.label, "detail": n.detail} for n in parsed.notes],
    }


@transaction.atomic
def import_rulebook_version(
    *,
    actor,
    acting_for: Organisation,
    rulebook: Rulebook,
    parsed: ParsedDocument,
    summary: str = "",
    source: str = "",
) -> RulebookVersion:
    """The file's clauses as the next version, a draft: a clause matched to one of the latest
    version keeps its lineage, any other gets a new one."""
    rulebook = (
        Rulebook.objects.select_for_update(of=("self",))
        .select_related("programme__purchaser")
        .get(pk=rulebook.pk)
    )
    policies.require_purchaser_staff(actor, acting_for, rulebook.programme.purchaser)
    require_no_open_draft(rulebook)
    latest, matches, removed = _matched(rulebook, parsed)
    version = RulebookVersion.objects.create(
        rulebook=rulebook,
        number=(latest.number + 1) if latest else 1,
        status=Status.DRAFT,
        summary=summary,
        based_on=latest,
        created_by=actor,
    )
    clauses = []
    for position, match in enumerate(matches, start=1):
        clause = Clause(
            version=version,
            key=clean_key(match.clause.key),
            position=position,
            heading=match.clause.heading,
            text=match.clause.text,
        )
        if match.previous is not None:
            clause.lineage = match.previous.lineage
        clauses.append(clause)
    Clause.objects.bulk_create(clauses)
    counts = {status: 0 for status in ("new", "unchanged", "changed", "moved")}
    for match in matches:
        counts[match.status] += 1
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook_version.imported",
        subject=version,
        after=snapshot(
            version,
            extra={
                "clause_count": len(clauses),
                "source": source[:200],
                "removed": len(removed),
                **counts,
            },
        ),
        purchaser=rulebook.programme.purchaser,
    )
    return version
