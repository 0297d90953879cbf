"""The arithmetic of an obligation's due dates: the series its cadence makes from its first
due date. Pure: reads only the obligation's own fields, writes nothing."""

import datetime

from dateutil import rrule

from contracts.models import Obligation

_FREQUENCIES = {
    Obligation.Cadence.MONTHLY: (rrule.MONTHLY, 1),
    Obligation.Cadence.QUARTERLY: (rrule.MONTHLY, 3),
    Obligation.Cadence.YEARLY: (rrule.YEARLY, 1),
}


def occurrence_rule(obligation: Obligation) -> rrule.rrule | None:
    """The series of due dates of an obligation on a cadence; None for a one-off."""
    if obligation.cadence not in _FREQUENCIES:
        return None
    frequency, interval = _FREQUENCIES[obligation.cadence]
    start = datetime.datetime.combine(obligation.first_due, datetime.time())
    until = None
    if obligation.until is not None:
        until = datetime.datetime.combine(obligation.until, datetime.time())
    options = {}
    if start.day > 28:
        # A report due on the 31st is due on the last day of shorter months, not skipped
        # (which is what a plain RRULE does): the day, or else the month's last day.
        options = {"bymonthday": (start.day, -1), "bysetpos": 1}
        if frequency == rrule.YEARLY:
            options["bymonth"] = start.month
    return rrule.rrule(frequency, interval=interval, dtstart=start, until=until, **options)


def occurrences(obligation: Obligation, *, after: datetime.date, count: int) -> list[datetime.date]:
    """Up to `count` due dates on or after `after`."""
    rule = occurrence_rule(obligation)
    if rule is None:
        return [obligation.first_due] if obligation.first_due >= after else []
    found = []
    moment = datetime.datetime.combine(after, datetime.time())
    for due in rule.xafter(moment, count=count, inc=True):
        found.append(due.date())
    return found


def occurrences_between(
    obligation: Obligation, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    rule = occurrence_rule(obligation)
    if rule is None:
        return [obligation.first_due] if start <= obligation.first_due <= end else []
    return [
        d.date()
        for d in rule.between(
            datetime.datetime.combine(start, datetime.time()),
            datetime.datetime.combine(end, datetime.time()),
            inc=True,
        )
    ]


def is_occurrence(obligation: Obligation, due: datetime.date) -> bool:
    return bool(occurrences_between(obligation, due, due))
