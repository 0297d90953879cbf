"""An imported edition matched to the clauses of the rulebook's latest version, so that each
clause keeps its lineage and the diff and the comments' anchors follow it
(contracts/selectors/rulebooks.py):

1. the same key with the same heading and text: the same clause, unchanged;
2. the same text (and heading) under another key: the same clause, moved;
3. the same key with a similar text (at least half the words in common): the same clause,
   changed;
4. a very similar text under another key (four fifths of the words): the same clause, moved
   and changed;
5. anything else is a new clause; a clause of the latest version that nothing matched is
   removed.

Each clause of the latest version is matched at most once."""

import difflib
from dataclasses import dataclass

from contracts.diff import words
from contracts.interchange.parsed import ParsedClause

SIMILAR_SAME_KEY = 0.5
SIMILAR_MOVED = 0.8


@dataclass
class Match:
    clause: ParsedClause
    previous: object | None = None  # the contracts.models.Clause it continues
    status: str = "new"  # new, unchanged, changed, moved

    @property
    def old_key(self) -> str | None:
        return self.previous.key if self.previous is not None else None


def _normal(heading: str, text: str) -> str:
    return " ".join(f"{heading}\n{text}".split())


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(a=words(a), b=words(b), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_SAME_KEY or matcher.quick_ratio() < SIMILAR_SAME_KEY:
        return 0.0
    return matcher.ratio()


def match_clauses(parsed: list[ParsedClause], previous: list) -> tuple[list[Match], list]:
    """The matches in the order of `parsed`, and the previous clauses nothing matched."""
    matches = [Match(clause) for clause in parsed]
    free = {clause.pk: clause for clause in previous}
    by_key = {clause.key: clause for clause in previous}
    by_text: dict[str, list] = {}
    for clause in previous:
        by_text.setdefault(_normal(clause.heading, clause.text), []).append(clause)

    def take(match: Match, clause, status: str) -> None:
        match.previous, match.status = clause, status
        del free[clause.pk]

    for match in matches:  # 1. same key, same words
        old = by_key.get(match.clause.key)
        if old is not None and _normal(old.heading, old.text) == _normal(
            match.clause.heading, match.clause.text
        ):
            take(match, old, "unchanged")
    for match in matches:  # 2. same words, another key
        if match.previous is None:
            for old in by_text.get(_normal(match.clause.heading, match.clause.text), []):
                if old.pk in free:
                    take(match, old, "moved")
                    break
    for match in matches:  # 3. same key, similar words
        old = by_key.get(match.clause.key)
        if match.previous is None and old is not None and old.pk in free:
            new_text = _normal(match.clause.heading, match.clause.text)
            if _ratio(_normal(old.heading, old.text), new_text) >= SIMILAR_SAME_KEY:
                take(match, old, "changed")
    for match in matches:  # 4. very similar words, another key
        if match.previous is not None:
            continue
        new_text = _normal(match.clause.heading, match.clause.text)
        best, best_ratio = None, SIMILAR_MOVED
        for old in free.values():
            ratio = _ratio(_normal(old.heading, old.text), new_text)
            if ratio >= best_ratio:
                best, best_ratio = old, ratio
        if best is not None:
            take(match, best, "moved")
    return matches, list(free.values())
