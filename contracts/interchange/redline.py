"""The redline between two versions of a rulebook as a .docx with Word's own tracked changes
(w:ins and w:del): Word and LibreOffice show the insertions and deletions marked and can
accept or reject them. Clauses are classed as contracts.selectors.rulebooks.version_diff
classes them (by lineage): a renumbered clause is named with its old key, a removed one stands
deleted where it was. Words in the active language (the caller chooses it)."""

import io
import itertools

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
        paragraph = self._paragraph(heading_level)
        for run in runs:
            pieces = run["text"].split("\n\n")
            for index, piece in enumerate(pieces):
                if index:
                    paragraph = self._paragraph(heading_level)
                if piece:
                    self._run(paragraph, piece, run["op"])

    def _paragraph(self, heading_level):
        if heading_level is None:
            return self.document.add_paragraph()
        return self.document.add_heading("", level=heading_level)

    def note(self, text: str) -> None:
        run = self.document.add_paragraph().add_run(text)
        run.italic = True
        run.font.color.rgb = RGBColor(0x5A, 0x3E, 0x8C)


def _whole(text: str, op: str) -> list[dict]:
    return [{"op": op, "text": text}] if text else []


def _clause(tracked: _Tracked, old, new, kind: str) -> None:
    clause = new or old
    level = min(clause.key.count(".") + 1, 9)
    if kind in ("added", "removed"):
        op = "insert" if kind == "added" else "delete"
        tracked.runs(_whole(f"{clause.key} {clause.heading}".strip(), op), heading_level=level)
        tracked.note(_("New clause.") if kind == "added" else _("Clause removed."))
        tracked.runs(_whole(clause.text, op))
        return
    key_runs = [{"op": "equal", "text": new.key}]
    if old.key != new.key:
        key_runs = [{"op": "delete", "text": old.key}, {"op": "insert", "text": new.key}]
    heading = word_diff(old.heading, new.heading)
    tracked.runs([*key_runs, {"op": "equal", "text": " "}, *heading], heading_level=level)
    if old.key != new.key:
        tracked.note(_("Moved: this was clause %(old)s.") % {"old": old.key})
    tracked.runs(
        word_diff(old.text, new.text) if old.text != new.text else _whole(new.text, "equal")
    )


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
    for old, new in _sequence(old_clauses, new_clauses):
        if new is None:
            _clause(tracked, old, None, "removed")
        elif old is None:
            _clause(tracked, None, new, "added")
        else:
            _clause(tracked, old, new, "kept")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
