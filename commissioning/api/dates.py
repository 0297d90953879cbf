"""The date and date-time fields every API serializer uses.

DRF answers "Date has wrong format. Use one of these formats instead: YYYY-MM-DD." to
"2026-02-31", whose format is right: the day does not exist. These fields tell the two
apart: Django's parsers raise ValueError only for input of the right shape naming a day or
time that is not in the calendar, and that gets a message saying so; malformed input keeps
DRF's message with the format to use. tests/commissioning/test_date_fields.py checks that
every date field of an input serializer is one of these.

A date and time must also lie a few days inside the years 1 to 9999 in UTC, the range every
time zone can show: "0001-01-01T00:00:00+11:15" is a moment of the year 1 BC in UTC, which
PostgreSQL stores and then cannot hand back to Python (a 500 before this rule).
"""

import datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

NO_SUCH_DAY = _("There is no such day as {value}; check the day and the month.")
NO_SUCH_MOMENT = _("There is no such date and time as {value}; check the date and the time.")
OUT_OF_RANGE = _("Give a date and time between the years 1 and 9999; {value} is outside them.")
EARLIEST = datetime.datetime(1, 1, 3, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 12, 29, tzinfo=datetime.UTC)


def kept_moment(field, value: datetime.datetime, sent) -> datetime.datetime:
    """`value` in UTC if every time zone can show it, else the field's "out_of_range" refusal.

    In UTC because Python accepts offsets up to ±23:59 and PostgreSQL only to ±15:59: a time
    sent as "…16:45:53-16:52" is a real instant, which PostgreSQL refused with a 500 while
    the offset came along (the API fuzzing found it). The instant is the same."""
    try:
        in_range = EARLIEST <= value.astimezone(datetime.UTC) <= LATEST
    except OverflowError:
        in_range = False
    if not in_range:
        field.fail("out_of_range", value=str(sent).strip())
    return value.astimezone(datetime.UTC)


def names_no_real_day(parse, value) -> bool:
    """True when `value` has the shape the parser reads but names no real day or time."""
    if not isinstance(value, str):
        return False
    try:
        parse(value.strip())
    except ValueError:
        return True
    return False


class DateField(serializers.DateField):
    default_error_messages = {"no_such_day": NO_SUCH_DAY}

    def to_internal_value(self, value):
        if names_no_real_day(parse_date, value):
            self.fail("no_such_day", value=value.strip())
        return super().to_internal_value(value)


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {"no_such_moment": NO_SUCH_MOMENT, "out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value):
        if names_no_real_day(parse_datetime, value):
            self.fail("no_such_moment", value=value.strip())
        return kept_moment(self, super().to_internal_value(value), value)
