"""Differences between two versions of a text or a set of terms, for people to read:
field by field, and word by word inside long texts."""

import difflib
import re

# Words and the whitespace after them stay together, so that joining the pieces of a diff
# gives back each text exactly.
_TOKEN = re.compile(r"\S+\s*|\s+")


def words(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[dict]:
    """Runs of equal, deleted and inserted words: [{"op": "equal"|"delete"|"insert",
    "text": ...}]. Joining equal+delete gives `old`; joining equal+insert gives `new`."""
    before, after = words(old), words(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    runs: list[dict] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append({"op": "equal", "text": "".join(before[i1:i2])})
            continue
        if i2 > i1:
            runs.append({"op": "delete", "text": "".join(before[i1:i2])})
        if j2 > j1:
            runs.append({"op": "insert", "text": "".join(after[j1:j2])})
    return runs


def field_diff(old: dict, new: dict, *, long_text: frozenset[str] = frozenset()) -> list[dict]:
    """The fields whose values differ, in the order of `new`: {"field", "old", "new"}, plus
    "words" (a word_diff) for the fields named in `long_text`."""
    changes = []
    for name in dict.fromkeys([*new, *old]):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        change = {"field": name, "old": before, "new": after}
        if name in long_text:
            change["words"] = word_diff(str(before or ""), str(after or ""))
        changes.append(change)
    return changes
