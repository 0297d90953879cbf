"""A comment's history as people read it: each revision rendered to sanitised HTML by the one
renderer (dialogue.markdown, stored as the revision is saved), and the words that changed
from the revision before (contracts.diff, the rulebook's word diff)."""

from contracts.diff import word_diff


def history(revisions) -> list[dict]:
    """[{"revision", "html", "changes"}] in order; `changes` is None for the first revision,
    else the word diff of its text (and of its suggested wording when that changed)."""
    rows, previous = [], None
    for revision in revisions:
        changes = wording = None
        if previous is not None:
            changes = word_diff(previous.body, revision.body)
            if previous.suggested_wording != revision.suggested_wording:
                wording = word_diff(previous.suggested_wording, revision.suggested_wording)
        rows.append(
            {"revision": revision, "html": revision.html, "changes": changes, "wording": wording}
        )
        previous = revision
    return rows
