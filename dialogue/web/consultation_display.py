"""How a consultation reads on the pages: the time left to the close, and each clause with
its changes from the previous rulebook version marked word by word."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissioning import policies
from contracts.models import Clause, RulebookVersion
from contracts.selectors import rulebooks as rulebook_selectors
from dialogue.models import Consultation
from dialogue.selectors import consultations as consultation_selectors


def local_moment(consultation: Consultation, moment: datetime.datetime) -> str:
    """ "12 March 2027 17:00 CET": in the programme's time zone, month names in the reader's
    language (a provider in Malmö and a server in Frankfurt must read the same close)."""
    return date_format(consultation_selectors.local_time(consultation, moment), "j F Y H:i T")


def window_open(consultation: Consultation) -> bool:
    """Whether comments may be written now (the pages' side of the service's window)."""
    return consultation.status == Consultation.Status.OPEN and not policies.window_closed(
        consultation
    )


def _duration(remaining: datetime.timedelta) -> str:
    """Days and hours while more than a day is left, then hours and minutes: precise enough
    to plan by, never a ticking seconds count."""
    minutes = max(int(remaining.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def countdown(consultation: Consultation, now: datetime.datetime | None = None) -> dict:
    """What the countdown says now. `stage` changes only a few times in a window (more than a
    day, less than a day, less than an hour, closed): the live region announces a change of
    stage, not every minute."""
    now = now or timezone.now()
    closes = local_moment(consultation, consultation.closes_at)
    if consultation.status == Consultation.Status.SCHEDULED:
        opens = local_moment(consultation, consultation.opens_at)
        return {
            "stage": "scheduled",
            "text": _("Opens %(opens)s; closes %(closes)s.") % {"opens": opens, "closes": closes},
            "closed": False,
        }
    if policies.window_closed(consultation):
        return {
            "stage": "closed",
            "text": _("Closed %(closes)s. Comments can no longer be added or changed.")
            % {"closes": closes},
            "closed": True,
        }
    remaining = consultation.closes_at - now
    if remaining >= datetime.timedelta(days=1):
        stage = "days"
    elif remaining >= datetime.timedelta(hours=1):
        stage = "hours"
    else:
        stage = "minutes"
    return {
        "stage": stage,
        "text": _("Closes in %(remaining)s (%(closes)s).")
        % {"remaining": _duration(remaining), "closes": closes},
        "closed": False,
    }


# --- clauses and their changes ----------------------------------------------------------------


def previous_version(version: RulebookVersion) -> RulebookVersion | None:
    """The version this one was made from; else the one numbered before it."""
    if version.based_on_id is not None:
        return RulebookVersion.objects.get(pk=version.based_on_id)
    return (
        RulebookVersion.objects.filter(rulebook_id=version.rulebook_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def marked_text(runs: list[dict]) -> SafeString:
    """The clause text with its word runs: inserted words in <ins>, deleted ones in <del>
    (marked `data-removed` so that the page's script leaves them out when it counts the
    offsets of a selection). Equal and inserted runs joined give the clause text exactly, so
    no whitespace may be added between the pieces."""
    pieces = []
    for run in runs:
        if run["op"] == "insert":
            pieces.append(format_html('<ins class="added">{}</ins>', run["text"]))
        elif run["op"] == "delete":
            pieces.append(format_html('<del class="removed" data-removed>{}</del>', run["text"]))
        else:
            pieces.append(format_html("<span>{}</span>", run["text"]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _row(clause: Clause, runs: list[dict], change="", old_key="", old_heading="") -> dict:
    return {
        "clause": clause,
        "change": change,
        "old_key": old_key,
        "old_heading": old_heading,
        "marked": marked_text(runs),
    }


def clauses_with_changes(
    *, person, version: RulebookVersion, previous: RulebookVersion | None
) -> tuple[list[dict], list[dict]]:
    """The version's clauses in order, each with its text marked against the `previous`
    version (previous_version) and how it changed (new, changed, moved from another key,
    unchanged); and the clauses of the previous version that this one removed."""
    clauses: list[Clause] = list(rulebook_selectors.clause_list(person=person, version=version))
    if previous is None:
        return [_row(c, [{"op": "equal", "text": c.text}]) for c in clauses], []
    diff = rulebook_selectors.version_diff(old=previous, new=version)
    added = {entry["id"] for entry in diff["added"]}
    altered = {entry["id"]: ("changed", entry) for entry in diff["changed"]}
    altered |= {entry["id"]: ("moved", entry) for entry in diff["moved"]}
    rows = []
    for clause in clauses:
        if clause.id in added:
            rows.append(_row(clause, [{"op": "insert", "text": clause.text}], "added"))
            continue
        change, entry = altered.get(clause.id, ("", None))
        fields = {c["field"]: c for c in entry["changes"]} if entry else {}
        text_change = fields.get("text")
        heading_change = fields.get("heading")
        runs = text_change["words"] if text_change else [{"op": "equal", "text": clause.text}]
        rows.append(
            _row(
                clause,
                runs,
                change,
                old_key=entry["old_key"] if entry else "",
                old_heading=heading_change["old"] if heading_change else "",
            )
        )
    return rows, diff["removed"]
