"""What every reader shares: the clauses found in a document, what was left out, and the
numbering of clauses whose number is not typed in the text.

A clause starts at a numbered heading or a numbered paragraph. Its key is the number typed at
the start of its text ("4.2 Staffing", "4.2a", "§ 4"), or else the one the document's
automatic numbering shows, computed from the outline level or list level: the first level-2
clause after clause 4 is 4.1, the next 4.2. A typed key in a body paragraph (not a heading)
starts a clause only when it has at least two parts and continues the current clause's
numbering (4.3 or 4.2.1 under 4.2), so that "3.5 million kronor" in a paragraph stays text.
Everything between two clauses is the first one's text, in Markdown: paragraphs separated by
a blank line, list items as "- " lines, tables as pipe tables. Text before the first clause,
images and comments are not clauses: they are noted in the report.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_HEADING = 300
MAX_KEY = 20

TYPED_KEY = re.compile(r"^\s*(?:§\s*)?([0-9]+(?:\.[0-9]+)*[a-zA-Z]?)\.?(?:\s+|$)(.*)$", re.S)

NOTES = {
    "before_first_clause": _("Text before the first numbered clause, not imported"),
    "unnumbered_heading": _("A heading without a number, kept as text of the clause before it"),
    "image": _("An image, not imported (clauses hold text only)"),
    "comment": _("A comment in the document, not imported"),
    "html": _("HTML in the Markdown, not imported"),
    "duplicate_key": _("A clause number used twice; the later clause is not imported"),
    "heading_cut": _("A heading longer than 300 characters, cut"),
}


@dataclass
class ParsedClause:
    key: str
    heading: str
    text: str = ""


@dataclass
class Note:
    kind: str
    detail: str

    @property
    def label(self) -> str:
        return str(NOTES[self.kind])


@dataclass
class ParsedDocument:
    clauses: list[ParsedClause] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def split_key(key: str) -> tuple[list[int], str]:
    """ "4.2a" -> ([4, 2], "a")."""
    letter = key[-1] if key[-1].isalpha() else ""
    return [int(part) for part in key.rstrip("abcdefghijklmnopqrstuvwxyz").split(".")], letter


def typed_key(text: str) -> tuple[str, str] | None:
    """The key typed at the start of `text` and the rest, or None."""
    match = TYPED_KEY.match(text)
    if match is None or len(match.group(1)) > MAX_KEY:
        return None
    return match.group(1).lower(), match.group(2).strip()


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


class Builder:
    """Collects clauses and text in document order; each reader tells it what it meets."""

    def __init__(self):
        self.document = ParsedDocument()
        self.counters: list[int] = []
        self.current: ParsedClause | None = None
        self.heading_level = 0
        self.blocks: list[str] = []
        self.last_was_item = False
        self.seen: set[str] = set()
        self.skipping = False

    # --- numbering ---------------------------------------------------------------------

    def _next_key(self, level: int, starts: tuple[int, ...] = ()) -> str:
        """The next number at `level`: the current one plus one, or, for a level not yet
        counted under its parent, the level's start value (`starts`, from the top; 1 when
        not given), as Word and LibreOffice count."""
        counters = self.counters[:level]
        if len(counters) == level:
            counters[-1] += 1
        for depth in range(len(counters), level):
            counters.append(starts[depth] if depth < len(starts) else 1)
        return ".".join(map(str, counters))

    def _continues(self, key: str) -> bool:
        numbers, _letter = split_key(key)
        if len(numbers) < 2 or self.current is None:
            return False
        current, _ = split_key(self.current.key)
        return current[: len(numbers) - 1] == numbers[:-1]

    # --- what the readers meet ----------------------------------------------------------

    def heading(self, text: str, *, level: int, numbered: bool, starts=()) -> None:
        """A heading: a clause when its number is typed or `numbered` (automatic, each level
        counting from its value in `starts`)."""
        typed = typed_key(text)
        if typed is not None:
            self._start(typed[0], heading=typed[1], text="")
        elif numbered:
            self._start(self._next_key(level, starts), heading=text.strip(), text="")
        elif text.strip():
            self.note("unnumbered_heading", text)
            self.paragraph(f"**{text.strip()}**")
            return
        else:
            return
        self.heading_level = len(self.counters)

    def numbered_paragraph(self, text: str, *, level: int | None, starts=()) -> None:
        """A paragraph of an automatic list that numbers clauses; `level` counted from the top
        of the outline, or None for one level below the last heading."""
        key = self._next_key(level or self.heading_level + 1, starts)
        self._start(key, heading="", text=text)

    def paragraph(self, text: str) -> None:
        """A body paragraph: a clause when it starts with a typed key that continues the
        numbering, else text of the current clause."""
        typed = typed_key(text)
        if typed is not None and self._continues(typed[0]):
            self._start(typed[0], heading="", text=typed[1])
            return
        self._block(text, item=False)

    def list_item(self, text: str, *, depth: int = 0, ordered: int | None = None) -> None:
        marker = f"{ordered}." if ordered else "-"
        self._block("  " * depth + f"{marker} {text.strip()}", item=True)

    def table(self, rows: list[list[str]]) -> None:
        if not rows:
            return
        width = max(len(row) for row in rows)

        def line(cells):
            cells = [" ".join(c.split()).replace("|", "\\|") for c in cells]
            return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"

        lines = [line(rows[0]), "| " + " | ".join(["---"] * width) + " |"]
        lines += [line(row) for row in rows[1:]]
        self._block("\n".join(lines), item=False)

    def raw(self, markdown: str) -> None:
        """A block kept as written (a Markdown reader's list, table or quote)."""
        self._block(markdown, item=False)

    def note(self, kind: str, detail: str) -> None:
        self.document.notes.append(Note(kind, _preview(detail)))

    # --- inside ---------------------------------------------------------------------------

    def _block(self, text: str, *, item: bool) -> None:
        if not text.strip():
            return
        if self.current is None:
            self.note("before_first_clause", text)
            return
        if self.skipping:
            return
        if item and self.last_was_item and self.blocks:
            self.blocks[-1] += "\n" + text
        else:
            self.blocks.append(text.strip("\n") if not item else text)
        self.last_was_item = item

    def _flush(self) -> None:
        if self.current is not None and not self.skipping:
            self.current.text = "\n\n".join(self.blocks)
        self.blocks, self.last_was_item = [], False

    def _start(self, key: str, *, heading: str, text: str) -> None:
        self._flush()
        numbers, _letter = split_key(key)
        self.counters = numbers
        if len(heading) > MAX_HEADING:
            self.note("heading_cut", heading)
            heading = heading[:MAX_HEADING]
        self.current = ParsedClause(key=key, heading=heading)
        self.skipping = key in self.seen
        if self.skipping:
            self.note("duplicate_key", f"{key} {heading or text}")
        else:
            self.seen.add(key)
            self.document.clauses.append(self.current)
        if text.strip():
            self._block(text, item=False)

    def finish(self) -> ParsedDocument:
        self._flush()
        return self.document
