"""The HTTP answer carrying a calendar file, for the API and the meeting page alike."""

from django.http import HttpResponse


def ics_response(content: bytes, *, filename: str | None = None) -> HttpResponse:
    """An answer carrying a calendar file: a download named `filename`, else a feed."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
