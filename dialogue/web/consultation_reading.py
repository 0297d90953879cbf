"""A long rulebook on the consultation page: each clause with the comments the person may
read and their count, the clause index (key, heading, count, how the clause changed), and
the filter that shows only the clauses changed since the previous version (`?changed=1`, a
plain link, so that it works without the page's script).

The comments come from one query (comment_list) whatever the number of clauses, grouped here
by clause: the page's query count does not grow with the rulebook."""

from django.utils.translation import gettext as _

from commissioning.errors import RuleViolation
from contracts.models import RulebookVersion

CHANGED = "1"


def changed_only(request, previous: RulebookVersion | None) -> bool:
    """Whether the page shows only the clauses changed since `previous`. A value other than
    `1` is refused with what to do; with no previous version every clause is new and the
    filter shows them all."""
    value = request.GET.get("changed", "")
    if value not in ("", CHANGED):
        raise RuleViolation(
            _(
                "The page shows every clause, or only the changed ones: use the links “All "
                "clauses” and “Changed clauses only” above the clauses."
            )
        )
    return value == CHANGED and previous is not None


def attach_comments(clause_rows: list[dict], views: list[dict]) -> list[dict]:
    """Each row gets its clause's comments (`comments`) and their number (`count`); the
    comments on no clause are returned (the general comments). A comment on a clause the
    version no longer has counts as general, as before."""
    shown = {row["clause"].id for row in clause_rows}
    by_clause: dict[int, list[dict]] = {}
    general = []
    for view in views:
        clause_id = view["comment"].clause_id
        if clause_id in shown:
            by_clause.setdefault(clause_id, []).append(view)
        else:
            general.append(view)
    for row in clause_rows:
        row["comments"] = by_clause.get(row["clause"].id, [])
        row["count"] = len(row["comments"])
    return general


def reading(clause_rows: list[dict], previous, *, changed: bool) -> dict:
    """What the page shows of the clauses: the rows after the filter (each row still has its
    comments), how many there are of each, and the filter's state."""
    changed_rows = [row for row in clause_rows if row["change"]]
    return {
        "clause_rows": changed_rows if changed else clause_rows,
        "clause_total": len(clause_rows),
        "changed_total": len(changed_rows),
        "changed_only": changed,
        "may_filter": previous is not None,
    }
