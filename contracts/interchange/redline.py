"""The redline between two versions of a rulebook as a .docx with Word's own tracked changes
(w:ins and w:del): Word and LibreOffice show the insertions and deletions marked and can
accept or reject them. Clauses are classed as contracts.selectors.rulebooks.version_diff
classes them (by lineage): a renumbered clause is named with its old key, a removed one stands
deleted where it was. Words in the active language (the caller chooses it)."""

import io
import itertools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from contracts.diff import word_diff
from contracts.interchange.docx_export import new_document


class _Tracked:
    """Paragraphs whose runs are plain, inserted or deleted."""

    def __init__(self, document):
        self.document = document
        self.ids = itertools.count(1)
        self.author = _("Comparison of rulebook versions")
        self.date = timezone.now().replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _run(self, paragraph, text: str, op: str) -> None:
        run = OxmlElement("w:r")
        for index, line in enumerate(text.split("\n")):
            if index:
                run.append(OxmlElement("w:br"))
            node = OxmlElement("w:delText" if op == "delete" else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = line
            run.append(node)
        if op == "equal":
            paragraph._p.append(run)
            return
        change = OxmlElement("w:del" if op == "delete" else "w:ins")
        change.set(qn("w:id"), str(next(self.ids)))
        change.set(qn("w:author"), self.author)
        change.set(qn("w:date"), self.date)
        change.append(run)
        paragraph._p.append(change)

    def runs(self, runs: list[dict], *, heading_level: int | None = None) -> None:
        """Runs of word_diff as paragraphs: a blank line in a run starts a new one."""
        for pieces, mark in paragraphs(runs):
            paragraph = self._paragraph(heading_level)
            for piece in pieces:
                self._run(paragraph, piece["text"], piece["op"])
            if mark != "equal":
                self._mark(paragraph, mark)

    def _mark(self, paragraph, op: str) -> None:
        """The paragraph's own end (its mark) inserted or deleted: accepting every change
        then leaves no empty paragraph where a deleted one stood, rejecting them none where
        an inserted one did."""
        change = OxmlElement("w:del" if op == "delete" else "w:ins")
        change.set(qn("w:id"), str(next(self.ids)))
        change.set(qn("w:author"), self.author)
        change.set(qn("w:date"), self.date)
        properties = paragraph._p.get_or_add_pPr()
        marks = properties.find(qn("w:rPr"))
        if marks is None:
            marks = OxmlElement("w:rPr")
            properties.append(marks)  # the run properties of the mark close w:pPr
        marks.append(change)

    def _paragraph(self, heading_level):
        if heading_level is None:
            return self.document.add_paragraph()
        return self.document.add_heading("", level=heading_level)

    def note(self, text: str) -> None:
        run = self.document.add_paragraph().add_run(text)
        run.italic = True
        run.font.color.rgb = RGBColor(0x5A, 0x3E, 0x8C)


def paragraphs(runs: list[dict]) -> list[tuple[list[dict], str]]:
    """Runs of word_diff split into paragraphs at blank lines, each with what became of the
    paragraph's end (its mark): inserted or deleted when the break came with inserted or
    deleted words, or when every word of the paragraph did; else equal."""
    found: list[tuple[list[dict], str]] = []
    current: list[dict] = []
    for run in runs:
        for index, piece in enumerate(run["text"].split("\n\n")):
            if index:
                found.append((current, run["op"]))
                current = []
            if piece:
                current.append({"op": run["op"], "text": piece})
    ops = {run["op"] for run in current}
    found.append((current, ops.pop() if len(ops) == 1 else "equal"))
    return found


def _whole(text: str, op: str) -> list[dict]:
    return [{"op": op, "text": text}] if text else []


@dataclass
class ClauseChange:
    """One clause of a redline: what became of it (added, removed, moved, changed or
    unchanged, matched by lineage as version_diff matches them) and its key, heading and text
    as runs of equal, deleted and inserted words. The .docx and the PDF redline both read
    these, so the two never disagree."""

    status: str
    old: object | None
    new: object | None

    @property
    def clause(self):
        return self.new or self.old

    @property
    def level(self) -> int:
        """The depth of its key: 1 for "4", 2 for "4.2" and "4.2a"."""
        return min(self.clause.key.count(".") + 1, 9)

    def _op(self) -> str | None:
        return {"added": "insert", "removed": "delete"}.get(self.status)

    def key_runs(self) -> list[dict]:
        op = self._op()
        if op is not None:
            return _whole(self.clause.key, op)
        if self.old.key != self.new.key:
            return [{"op": "delete", "text": self.old.key}, {"op": "insert", "text": self.new.key}]
        return [{"op": "equal", "text": self.new.key}]

    def heading_runs(self) -> list[dict]:
        op = self._op()
        if op is not None:
            return _whole(self.clause.heading, op)
        return word_diff(self.old.heading, self.new.heading)

    def text_runs(self) -> list[dict]:
        op = self._op()
        if op is not None:
            return _whole(self.clause.text, op)
        if self.old.text == self.new.text:
            return _whole(self.new.text, "equal")
        return word_diff(self.old.text, self.new.text)


def _status(old, new) -> str:
    if new is None:
        return "removed"
    if old is None:
        return "added"
    if old.key != new.key:
        return "moved"
    if (old.heading, old.text) != (new.heading, new.text):
        return "changed"
    return "unchanged"


def _clause(tracked: _Tracked, change: ClauseChange) -> None:
    op = change._op()
    if op is not None:
        key = f"{change.clause.key} {change.clause.heading}".strip()
        tracked.runs(_whole(key, op), heading_level=change.level)
        tracked.note(_("New clause.") if op == "insert" else _("Clause removed."))
        tracked.runs(change.text_runs())
        return
    tracked.runs(
        [*change.key_runs(), {"op": "equal", "text": " "}, *change.heading_runs()],
        heading_level=change.level,
    )
    if change.status == "moved":
        tracked.note(_("Moved: this was clause %(old)s.") % {"old": change.old.key})
    tracked.runs(change.text_runs())


def _sequence(old_clauses, new_clauses):
    """(old, new) pairs in the new order, each removed clause after the clause that came
    before it in the old version."""
    new_lineages = {c.lineage for c in new_clauses}
    old_by_lineage = {c.lineage: c for c in old_clauses}
    removed_after: dict = {}
    previous = None
    for clause in old_clauses:
        if clause.lineage not in new_lineages:
            removed_after.setdefault(previous, []).append(clause)
        else:
            previous = clause.lineage
    pairs = [(c, None) for c in removed_after.get(None, [])]
    for clause in new_clauses:
        pairs.append((old_by_lineage.get(clause.lineage), clause))
        pairs += [(c, None) for c in removed_after.get(clause.lineage, [])]
    return pairs


def compare(old_clauses, new_clauses) -> list[ClauseChange]:
    """Every clause of both versions in the new order (a removed one where it stood)."""
    return [
        ClauseChange(_status(old, new), old, new)
        for old, new in _sequence(old_clauses, new_clauses)
    ]


def redline_docx(old_version, new_version, old_clauses, new_clauses) -> bytes:
    title = _("%(title)s: changes from version %(old)s to version %(new)s") % {
        "title": new_version.rulebook.title,
        "old": old_version.number,
        "new": new_version.number,
    }
    document = new_document(title)
    document.add_paragraph(
        _(
            "Insertions and deletions are tracked changes: your word processor shows them "
            "marked and can accept or reject them. A renumbered clause is shown with its old "
            "number struck and its new number inserted, and named as moved."
        )
    )
    tracked = _Tracked(document)
    for change in compare(old_clauses, new_clauses):
        _clause(tracked, change)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
