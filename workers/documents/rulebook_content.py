"""What a rulebook version's PDF and the PDF redline between two versions are made from.

The redline reads the comparison the .docx redline reads (contracts.interchange.redline:
clauses matched by lineage as the diff page matches them, words compared by
contracts.diff.word_diff), so the two formats never tell different stories. Everything the
document itself says (statuses, what became of a clause) is in words of its language."""

from django.utils.translation import gettext as _

from contracts.interchange.redline import compare, paragraphs
from dialogue.markdown import render_markdown

# A clause "4" is a section (h2) of the document, "4.2" an h3, anything deeper an h4; the
# headings typed in a clause's text sit below them (demote_headings).
DEEPEST_CLAUSE_HEADING = 4


def _heading_tag(level: int) -> int:
    return min(level + 1, DEEPEST_CLAUSE_HEADING)


def _anchor(key: str) -> str:
    return f"clause-{key}"


def _rulebook(version) -> dict:
    programme = version.rulebook.programme
    return {
        "title": version.rulebook.title,
        "programme": programme.name,
        "purchaser": programme.purchaser.name,
        "time_zone": programme.time_zone,
    }


def _version(version, clause_count: int) -> dict:
    return {
        "id": version.id,
        "number": version.number,
        "status_label": str(version.get_status_display()),
        "adopted_at": version.adopted_at,
        "summary": version.summary,
        "based_on": version.based_on.number if version.based_on_id else None,
        "clause_count": clause_count,
    }


def _clauses(version) -> list:
    return list(version.clauses.order_by("position", "key", "id"))


def rulebook_version_data(version, *, person) -> dict:
    clauses = _clauses(version)
    return {
        "rulebook": _rulebook(version),
        "version": _version(version, len(clauses)),
        "clauses": [
            {
                "key": clause.key,
                "heading": clause.heading,
                "title": f"{clause.key} {clause.heading}".strip(),
                "anchor": _anchor(clause.key),
                "level": clause.key.count(".") + 1,
                "tag": _heading_tag(clause.key.count(".") + 1),
                # As the .docx export: a clause without a heading below the top level is a
                # paragraph led by its key, not a heading (nor a bookmark).
                "as_heading": bool(clause.heading) or "." not in clause.key,
                "html": render_markdown(clause.text),
            }
            for clause in clauses
        ],
    }


def _note(change) -> str:
    """What became of the clause, in words (the colour and the lines are not all of it)."""
    if change.status == "added":
        return _("New clause.")
    if change.status == "removed":
        return _("Clause removed.")
    notes = []
    if change.status == "moved":
        notes.append(_("Moved: this was clause %(old)s.") % {"old": change.old.key})
    if (change.old.heading, change.old.text) != (change.new.heading, change.new.text):
        notes.append(_("Wording changed."))
    return " ".join(notes)


def _apart(runs: list[dict]) -> list[dict]:
    """A space between deleted words and the inserted words that replace them, so that the
    two read as two ("month. quarter.") in the text a screen reader or a copy gets."""
    spaced: list[dict] = []
    for run in runs:
        previous = spaced[-1] if spaced else None
        if (
            previous is not None
            and (previous["op"], run["op"]) == ("delete", "insert")
            and not previous["text"][-1:].isspace()
            and not run["text"][:1].isspace()
        ):
            spaced.append({"op": "equal", "text": " "})
        spaced.append(run)
    return spaced


def _change(change) -> dict:
    unchanged_text = change.status not in ("added", "removed") and (
        change.old.text == change.new.text
    )
    return {
        "status": change.status,
        "note": _note(change),
        "key": change.clause.key,
        "title": f"{change.clause.key} {change.clause.heading}".strip(),
        "anchor": _anchor(change.clause.key) + ("-removed" if change.status == "removed" else ""),
        "level": change.level,
        "tag": _heading_tag(change.level),
        "key_runs": change.key_runs(),
        "heading_runs": _apart(change.heading_runs()),
        # Text whose words did not change reads as the version shows it; changed text as its
        # words, each marked inserted or deleted.
        "html": render_markdown(change.new.text) if unchanged_text else "",
        "paragraphs": []
        if unchanged_text
        else [_apart(runs) for runs, _mark in paragraphs(change.text_runs())],
    }


def rulebook_redline_data(version, *, person, compared_with) -> dict:
    old_clauses, new_clauses = _clauses(compared_with), _clauses(version)
    changes = compare(old_clauses, new_clauses)
    totals = dict.fromkeys(["added", "removed", "changed", "moved", "unchanged"], 0)
    for change in changes:
        totals[change.status] += 1
    return {
        "rulebook": _rulebook(version),
        "old": _version(compared_with, len(old_clauses)),
        "new": _version(version, len(new_clauses)),
        "totals": totals,
        "clauses": [_change(change) for change in changes],
    }
