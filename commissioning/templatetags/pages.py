"""Template tags of the pages: accessible form fields and money in the reader's language."""

from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def _locale() -> str:
    return to_locale(get_language() or "en")


@register.inclusion_tag("web/field.html")
def field(bound_field, hint=""):
    """A label, the input, its hint and its errors, tied together for screen readers
    (WCAG 1.3.1, 3.3.1): the input names its hint and errors in aria-describedby and says
    aria-invalid when something must be fixed."""
    described_by = []
    if hint or bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required:
        attrs["aria-required"] = "true"
    return {
        "field": bound_field,
        "widget": bound_field.as_widget(attrs=attrs),
        "hint": hint or bound_field.help_text,
    }


@register.filter
def money(amount, currency="SEK"):
    """1 234 567 kr in Swedish, kr 1 234 567 in Norwegian, £1,234,567 in English."""
    if amount is None or amount == "":
        return ""
    return format_currency(amount, currency, locale=_locale())


@register.filter
def number(value, digits=0):
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * int(digits) if int(digits) else "")
    return format_decimal(value, format=pattern, locale=_locale())


@register.filter
def percent(fraction):
    """A fraction (0.33) as a percentage in the reader's language: 33 %, 33%."""
    if fraction is None or fraction == "":
        return ""
    return format_percent(fraction, locale=_locale())


@register.filter
def progress(value):
    """A job's progress, 0 to 100, as a percentage in the reader's language."""
    return percent((value or 0) / 100)
