"""Every write to the clauses of a rulebook version: only a draft's clauses change (the rule
and the locking order: contracts.services.rulebooks).

Clause keys: one or more whole numbers separated by dots, optionally followed by one lower-case
letter for a clause slotted in without renumbering the rest: "4", "4.2", "4.2.1", "4.2a".
An upper-case letter is accepted and stored lower-case. Keys are unique within a version.
"""

import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from contracts.models import Clause, RulebookVersion
from contracts.services.rulebooks import locked_version, require_editable

CLAUSE_KEY = re.compile(r"^[0-9]+(\.[0-9]+)*[a-z]?$")


def clean_key(key: str) -> str:
    cleaned = (key or "").strip().lower()
    if not CLAUSE_KEY.match(cleaned):
        raise RuleViolation(
            _(
                "%(key)s is not a clause key. Write whole numbers separated by dots, "
                "optionally ending in one letter: 4, 4.2, 4.2.1 or 4.2a."
            )
            % {"key": repr(key)},
            fields={"key": [_("Numbers separated by dots, e.g. 4.2 or 4.2a.")]},
            code="invalid_clause_key",
        )
    return cleaned


def _require_free_key(version: RulebookVersion, key: str, *, exclude: Clause | None = None):
    taken = Clause.objects.filter(version=version, key=key)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise RuleViolation(
            _(
                "Version %(number)s already has a clause %(key)s. Choose another key, or "
                "renumber the existing clause first."
            )
            % {"number": version.number, "key": key},
            fields={"key": [_("Already used in this version.")]},
            code="duplicate_clause_key",
        )


@transaction.atomic
def create_clause(
    *,
    actor,
    acting_for: Organisation,
    version: RulebookVersion,
    key: str,
    heading: str,
    text: str = "",
    position: int | None = None,
) -> Clause:
    """A new clause has a lineage of its own: it is not the continuation of any earlier one,
    even when it takes the key of a clause deleted before."""
    version = locked_version(version)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    require_editable(version)
    key = clean_key(key)
    _require_free_key(version, key)
    if position is None:
        last = version.clauses.aggregate(last=Max("position"))["last"]
        position = 1 if last is None else last + 1
    clause = Clause.objects.create(
        version=version, key=key, heading=heading, text=text, position=position
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="clause.created",
        subject=clause,
        after=snapshot(clause),
        purchaser=version.rulebook.programme.purchaser,
    )
    return clause


CLAUSE_FIELDS = {"key", "heading", "text", "position"}


@transaction.atomic
def update_clause(*, actor, acting_for: Organisation, clause: Clause, **changes) -> Clause:
    """Changing the key renumbers the clause: its lineage stays, so a diff shows it moved."""
    if not changes:
        raise RuleViolation(
            _("Send at least one of key, heading, text or position to change the clause.")
        )
    unknown = set(changes) - CLAUSE_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    version = locked_version(clause.version)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    require_editable(version)
    if "key" in changes:
        changes["key"] = clean_key(changes["key"])
        _require_free_key(version, changes["key"], exclude=clause)
    before = snapshot(clause)
    for name, value in changes.items():
        setattr(clause, name, value)
    clause.save()
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="clause.updated",
        subject=clause,
        before=before,
        after=snapshot(clause),
        purchaser=version.rulebook.programme.purchaser,
    )
    return clause


@transaction.atomic
def delete_clause(*, actor, acting_for: Organisation, clause: Clause) -> None:
    version = locked_version(clause.version)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    require_editable(version)
    # The Event first: it names the clause by type and id, which outlive the row.
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="clause.deleted",
        subject=clause,
        before=snapshot(clause),
        purchaser=version.rulebook.programme.purchaser,
    )
    clause.delete()


@transaction.atomic
def reorder_clauses(
    *, actor, acting_for: Organisation, version: RulebookVersion, clause_ids: Sequence[int]
) -> RulebookVersion:
    """Put the clauses of a draft in the given order (positions 1, 2, 3, ...). Every clause of
    the version is named once, so that none is left at a stale position."""
    version = locked_version(version)
    policies.require_purchaser_staff(actor, acting_for, version.rulebook.programme.purchaser)
    require_editable(version)
    clauses = {c.id: c for c in Clause.objects.select_for_update().filter(version=version)}
    wanted = list(clause_ids)
    duplicates = sorted({i for i in wanted if wanted.count(i) > 1})
    unknown = [i for i in wanted if i not in clauses]
    missing = sorted(set(clauses) - set(wanted))
    if duplicates or unknown or missing:
        problems = []
        if duplicates:
            problems.append(_("named twice: %(ids)s") % {"ids": ", ".join(map(str, duplicates))})
        if unknown:
            problems.append(
                _("not clauses of this version: %(ids)s") % {"ids": ", ".join(map(str, unknown))}
            )
        if missing:
            problems.append(_("left out: %(ids)s") % {"ids": ", ".join(map(str, missing))})
        raise RuleViolation(
            _(
                "Name every clause of version %(number)s exactly once, in the new order "
                "(%(problems)s)."
            )
            % {"number": version.number, "problems": "; ".join(str(p) for p in problems)},
            fields={"clauses": [_("Every clause id of the version, once each.")]},
            code="invalid_clause_order",
        )
    before = [c.id for c in sorted(clauses.values(), key=lambda c: (c.position, c.key))]
    for position, clause_id in enumerate(wanted, start=1):
        clauses[clause_id].position = position
    Clause.objects.bulk_update(clauses.values(), ["position"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="rulebook_version.clauses_reordered",
        subject=version,
        before={"clause_order": before},
        after={"clause_order": wanted},
        purchaser=version.rulebook.programme.purchaser,
    )
    return version
