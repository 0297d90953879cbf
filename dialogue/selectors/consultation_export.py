"""The CSV export of a consultation's comments and their responses (DESIGN.md: "CSV for
comment and response tables").

- UTF-8 with a byte-order mark: Excel in a Swedish or Norwegian locale otherwise reads the
  file as Windows-1252 and shows å, ä, ö and ø as mojibake.
- Comma-separated (RFC 4180), every row ending in CRLF; the pages offer a semicolon for
  Swedish and Norwegian readers, whose Excel takes the comma for the decimal sign and reads
  a comma-separated file as one column.
- The same table as an XLSX workbook (openpyxl), for those who would rather not import.
- Times in the programme's time zone, named in the column heading, so that a reader in
  Stockholm or Oslo sees the local time the comment arrived.
- Same visibility as the API: the comments the person sees, responses only when they may
  read them (staff, or after the close).
- A cell that starts with =, +, -, @ or a tab is prefixed with an apostrophe: comment texts
  are written by others, and a spreadsheet would otherwise run them as formulas.
"""

import csv
import io
import zoneinfo

from django.utils.translation import gettext as _
from openpyxl import Workbook

from commissioning import policies
from commissioning.models import Organisation
from dialogue.models import Consultation
from dialogue.selectors.consultation_summary import comment_rows, response_of

NETWORK = Organisation.Kind.PROVIDER_NETWORK
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_filename(consultation: Consultation) -> str:
    return f"consultation-{consultation.pk}-comments.csv"


def comment_table(*, person, consultation: Consultation) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the export, each cell a text made safe for a spreadsheet."""
    zone = zoneinfo.ZoneInfo(consultation.programme.time_zone)
    responses_readable = policies.may_read_responses(person, consultation)
    header = [
        str(_("comment id")),
        str(_("clause key")),
        str(_("kind")),
        str(_("organisation")),
        str(_("ownership")),
        str(_("network comment")),
        str(_("co-signers")),
        _("submitted at (%(zone)s)") % {"zone": consultation.programme.time_zone},
        str(_("current text")),
        str(_("status")),
        str(_("response outcome")),
        str(_("reason")),
        str(_("changed clause")),
    ]
    rows = []
    for comment in comment_rows(person=person, consultation=consultation):
        response = response_of(comment, responses_readable=responses_readable)
        organisation = comment.organisation
        changed = response.changed_clause if response is not None else None
        rows.append(
            [
                _cell(comment.id),
                _cell(comment.clause.key if comment.clause else _("general")),
                _cell(comment.get_kind_display()),
                _cell(organisation.name),
                _cell(organisation.get_ownership_display()),
                _cell(_("yes") if organisation.kind == NETWORK else _("no")),
                _cell("; ".join(s.organisation.name for s in comment.active_cosignatures)),
                _cell(comment.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
                _cell(comment.current_text or ""),
                _cell(comment.get_status_display()),
                _cell(response.get_outcome_display() if response is not None else ""),
                _cell(response.reason if response is not None else ""),
                _cell(
                    _("%(key)s (version %(number)s)")
                    % {"key": changed.key, "number": changed.version.number}
                    if changed is not None
                    else ""
                ),
            ]
        )
    return header, rows


def comments_csv(*, person, consultation: Consultation, delimiter: str = ",") -> bytes:
    header, rows = comment_table(person=person, consultation=consultation)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_filename(consultation: Consultation) -> str:
    return f"consultation-{consultation.pk}-comments.xlsx"


def comments_xlsx(*, person, consultation: Consultation) -> bytes:
    """The same table as a workbook of one sheet, the header row frozen."""
    header, rows = comment_table(person=person, consultation=consultation)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Comments"))[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
