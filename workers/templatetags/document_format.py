"""Dates and numbers in PDF documents, formatted for the language the document is rendered
in (the active translation): "24 november 2026" in Swedish, "24. november 2026" in
Norwegian Bokmål, "24 November 2026" in English. The data of a document has been through
JSON (it is what its hash is made of), so dates may come as ISO strings."""

import datetime
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


@register.filter
def fdatetime(value, time_zone="UTC") -> str:
    moment = _moment(value)
    if moment is None:
        return "–"
    if not isinstance(moment, datetime.datetime):
        return fdate(moment)
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone or "UTC"))
    return dates.format_datetime(local, format="medium", locale=_locale())


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
