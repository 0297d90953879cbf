"""Dates and numbers in PDF documents, formatted for the language the document is rendered
in (the active translation): "24 november 2026" in Swedish, "24. november 2026" in
Norwegian Bokmål, "24 November 2026" in English. The data of a document has been through
JSON (it is what its hash is made of), so dates may come as ISO strings."""

import datetime
import re
import zoneinfo
from decimal import Decimal, InvalidOperation

from babel import dates, numbers
from django import template
from django.utils.translation import get_language

register = template.Library()

LOCALES = {"sv": "sv_SE", "nb": "nb_NO", "en": "en_GB"}


def _locale() -> str:
    return LOCALES.get((get_language() or "en")[:2], "en_GB")


def _moment(value):
    if isinstance(value, str) and value:
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return None
    return value or None


@register.filter
def fdate(value) -> str:
    moment = _moment(value)
    if moment is None:
        return "–"
    if isinstance(moment, datetime.datetime):
        moment = moment.date()
    return dates.format_date(moment, format="long", locale=_locale())


def _local(moment: datetime.datetime, time_zone: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone or "UTC"))


def _clock(moment: datetime.datetime) -> str:
    """The time as people write it: "13:00", never "13:00:00"."""
    return dates.format_time(moment, format="HH:mm", locale=_locale())


def _date_and_time(date_text: str, time_text: str) -> str:
    # The locale's own way of joining a date and a time ("{1} {0}", "{1}, {0}", …).
    pattern = dates.get_datetime_format("medium", locale=_locale())
    return str(pattern).replace("{1}", date_text).replace("{0}", time_text)


@register.filter
def fdatetime(value, time_zone="UTC") -> str:
    moment = _moment(value)
    if moment is None:
        return "–"
    if not isinstance(moment, datetime.datetime):
        return fdate(moment)
    local = _local(moment, time_zone)
    return _date_and_time(fdate(local), _clock(local))


@register.simple_tag
def ftimespan(starts, ends, time_zone="UTC") -> str:
    """A meeting's time as people write it: "24 november 2026 13:00–15:00"; the end's date
    too when it ends on another day."""
    start, end = _moment(starts), _moment(ends)
    if not isinstance(start, datetime.datetime):
        return fdatetime(starts, time_zone)
    start = _local(start, time_zone)
    if not isinstance(end, datetime.datetime):
        return _date_and_time(fdate(start), _clock(start))
    end = _local(end, time_zone)
    if end.date() == start.date():
        return _date_and_time(fdate(start), f"{_clock(start)}–{_clock(end)}")
    beginning = _date_and_time(fdate(start), _clock(start))
    return f"{beginning} – {_date_and_time(fdate(end), _clock(end))}"


HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@register.filter
def demote_headings(html: str, below: int = 2) -> str:
    """Headings of user text (Markdown minutes, comments) set below the document's own:
    with `below` 2 (the section's heading is an h2) a `#` becomes an h3 and a `##` an h4,
    down to h6. The HTML has been sanitised (dialogue.markdown): tags are plain."""
    shift = int(below)
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html or "")


@register.filter
def fpercent(value) -> str:
    if value is None or value == "":
        return "–"
    return numbers.format_percent(float(value), format="#,##0.#%", locale=_locale())


@register.filter
def fnumber(value) -> str:
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return numbers.format_decimal(number, locale=_locale())


@register.filter
def fmean(value) -> str:
    """A mean of 1–5 with one decimal, as it was computed ("4,0", not "4")."""
    if value is None or value == "":
        return "–"
    return numbers.format_decimal(Decimal(str(value)), format="#,##0.0", locale=_locale())
