"""The comments of a consultation as a file: CSV for a spreadsheet in the reader's language
(semicolon-separated for Swedish and Norwegian, whose Excel takes the comma for the decimal
sign; comma for English; UTF-8 with a byte-order mark), or an XLSX workbook. The same rows,
and the same visibility, as the API's comments.csv."""

from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from commissioning.web.acting import page
from dialogue.selectors import consultation_export, consultation_summary

SEMICOLON_LANGUAGES = {"sv", "nb"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_delimiter(language: str | None) -> str:
    return ";" if (language or "").split("-")[0] in SEMICOLON_LANGUAGES else ","


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    answer = HttpResponse(content, content_type=content_type)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


@require_GET
@page
def comments_csv(request, consultation_id: int):
    consultation = consultation_summary.consultation_for_reading(
        person=request.user, consultation_id=consultation_id
    )
    content = consultation_export.comments_csv(
        person=request.user, consultation=consultation, delimiter=csv_delimiter(get_language())
    )
    return _attachment(
        content, "text/csv; charset=utf-8", consultation_export.csv_filename(consultation)
    )


@require_GET
@page
def comments_xlsx(request, consultation_id: int):
    consultation = consultation_summary.consultation_for_reading(
        person=request.user, consultation_id=consultation_id
    )
    content = consultation_export.comments_xlsx(person=request.user, consultation=consultation)
    return _attachment(content, XLSX, consultation_export.xlsx_filename(consultation))
