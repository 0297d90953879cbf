"""Every read of rulebooks, their versions and clauses, scoped by the policy, and the diff
between two versions of one rulebook.

How the diff matches clauses (DESIGN.md: "a clause is followed across versions"):

- Clauses are matched by `lineage`, never by key. A new version copies every clause with its
  lineage, and renumbering a clause in a draft keeps it.
- A clause whose key changed (4.2 -> 5.1) is reported once, under `moved`, with its old and
  new key and any heading or text changes: it is the same clause renumbered, and comments on
  it are to be followed to its new place, so it is not shown as removed and added.
- A clause deleted and a new one written under the same key are reported as `removed` and
  `added`: they have different lineages because someone chose to delete one clause and write
  another, and what was said about the old one does not carry over to the new.
- A clause with the same key, heading and text that only changed place in the order counts
  as unchanged: people cite clauses by key, and the order alone changes no obligation.
- Each lineage appears in exactly one of added, removed, changed, moved or the unchanged
  count. Lists follow the order of the newer version (removed: of the older one).
"""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from contracts.diff import field_diff
from contracts.models import Clause, Rulebook, RulebookVersion


def rulebook_list(*, person) -> QuerySet[Rulebook]:
    return (
        policies.visible_rulebooks(person)
        .select_related("programme__purchaser")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=RulebookVersion.objects.only("id", "number", "status", "rulebook_id"),
            )
        )
    )


def rulebook_get(*, person, rulebook_id) -> Rulebook:
    return policies.get_visible(rulebook_list(person=person), pk=rulebook_id)


def _visible_versions(person) -> QuerySet[RulebookVersion]:
    return policies.visible_rows(RulebookVersion, person)


def version_list(*, person, rulebook: Rulebook) -> QuerySet[RulebookVersion]:
    return (
        _visible_versions(person)
        .filter(rulebook=rulebook)
        .select_related("rulebook__programme__purchaser", "created_by")
        .annotate(clause_count=Count("clauses"))
        .order_by("number")
    )


def version_get(*, person, version_id) -> RulebookVersion:
    """A version with its clauses in order, for the detail view."""
    queryset = (
        _visible_versions(person)
        .select_related("rulebook__programme__purchaser", "created_by")
        .annotate(clause_count=Count("clauses"))
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("position", "key")))
    )
    return policies.get_visible(queryset, pk=version_id)


def clause_list(*, person, version: RulebookVersion) -> QuerySet[Clause]:
    return (
        Clause.objects.filter(version__in=_visible_versions(person), version=version)
        .select_related("version")
        .order_by("position", "key", "id")
    )


def clause_get(*, person, clause_id) -> Clause:
    queryset = Clause.objects.filter(version__in=_visible_versions(person)).select_related(
        "version__rulebook__programme__purchaser"
    )
    return policies.get_visible(queryset, pk=clause_id)


def version_for_diff(*, version: RulebookVersion, against_id) -> RulebookVersion:
    """The other side of a diff: a version of the same rulebook. A version of another
    rulebook, or an id that is no version at all, gets the same answer, so that the ids of
    rulebooks the person cannot see leak nothing."""
    try:
        return RulebookVersion.objects.get(rulebook_id=version.rulebook_id, pk=int(against_id))
    except (RulebookVersion.DoesNotExist, TypeError, ValueError):
        raise RuleViolation(
            _(
                "Give in `against` the id of another version of the same rulebook "
                "(%(title)s) to compare version %(number)s with."
            )
            % {"title": version.rulebook.title, "number": version.number},
            fields={"against": [_("The id of a version of the same rulebook.")]},
            code="invalid_diff_base",
        ) from None


def _clause_brief(clause: Clause) -> dict:
    return {
        "id": clause.id,
        "lineage": str(clause.lineage),
        "key": clause.key,
        "heading": clause.heading,
        "text": clause.text,
    }


def version_diff(*, old: RulebookVersion, new: RulebookVersion) -> dict:
    """What changed from `old` to `new`, clause by clause (matching rules: module docstring).
    Two queries, whatever the number of clauses."""
    old_clauses = list(old.clauses.order_by("position", "key", "id"))
    new_clauses = list(new.clauses.order_by("position", "key", "id"))
    old_by_lineage = {c.lineage: c for c in old_clauses}
    new_lineages = {c.lineage for c in new_clauses}
    added, changed, moved = [], [], []
    unchanged = 0
    for clause in new_clauses:
        before = old_by_lineage.get(clause.lineage)
        if before is None:
            added.append(_clause_brief(clause))
            continue
        changes = field_diff(
            {"heading": before.heading, "text": before.text},
            {"heading": clause.heading, "text": clause.text},
            long_text=frozenset({"text"}),
        )
        entry = {
            "id": clause.id,
            "old_id": before.id,
            "lineage": str(clause.lineage),
            "key": clause.key,
            "old_key": before.key,
            "heading": clause.heading,
            "changes": changes,
        }
        if before.key != clause.key:
            moved.append(entry)
        elif changes:
            changed.append(entry)
        else:
            unchanged += 1
    removed = [_clause_brief(c) for c in old_clauses if c.lineage not in new_lineages]
    return {
        "from_version": {"id": old.id, "number": old.number, "status": old.status},
        "to_version": {"id": new.id, "number": new.number, "status": new.status},
        "added": added,
        "removed": removed,
        "changed": changed,
        "moved": moved,
        "unchanged": unchanged,
    }


def redline_base(*, version: RulebookVersion, against) -> object:
    """The `against` of a redline: the one asked for, else the version this one was based on,
    else the one numbered before it (None when there is none: version_for_diff refuses)."""
    if against not in (None, ""):
        return against
    if version.based_on_id is not None:
        return version.based_on_id
    return (
        RulebookVersion.objects.filter(rulebook_id=version.rulebook_id, number__lt=version.number)
        .order_by("-number")
        .values_list("id", flat=True)
        .first()
    )
