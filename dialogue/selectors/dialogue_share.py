"""Dialogue share: how much of a meeting was dialogue rather than information.

The Swedish finding (DESIGN.md) is that dialogue meetings are too information-heavy, with too
little room for dialogue. This module is the one place that measures it; the API, the
meeting list filter and the PDF briefing all use it.

The rules:
- an agenda item counts its actual minutes where they were recorded, else its planned ones;
- a meeting's share is its dialogue minutes divided by all its minutes (information, dialogue
  and decision items alike);
- a meeting whose share is under one third is *information-heavy*; exactly one third is not;
  a meeting of only information and decision items has share 0 and is flagged: decisions
  taken without dialogue are what the finding is about;
- a meeting without agenda items (no minutes at all) has no share (None) and is not flagged:
  there is nothing to measure, and flagging it would accuse a meeting nobody typed;
- an arena's trend is one figure per calendar quarter over its held meetings (held or with
  approved minutes), weighted by minutes: the quarter's dialogue minutes divided by the
  quarter's minutes, so a three-hour council weighs more than a half-hour check-in. A
  quarter's meetings without agenda add nothing to either sum; quarters between the first
  and the last with no held meeting appear with share None, so a chart shows the gap.

Quarters are the calendar quarters of each meeting's local start (in its own time zone).
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dialogue.models import AgendaItem, Meeting

INFORMATION_HEAVY_BELOW = Fraction(1, 3)
DIALOGUE = AgendaItem.Kind.DIALOGUE
HELD_STATUSES = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)


# --- pure functions over plain numbers -----------------------------------------------------


def item_minutes(planned: int, actual: int | None) -> int:
    """The minutes an agenda item counts: actual where recorded, else planned."""
    return actual if actual is not None else planned


def dialogue_share(dialogue_minutes: int, total_minutes: int) -> float | None:
    """Dialogue minutes ÷ all minutes; None when there are no minutes to divide by."""
    if not total_minutes:
        return None
    return dialogue_minutes / total_minutes


def is_information_heavy(dialogue_minutes: int, total_minutes: int) -> bool:
    """Under one third dialogue. Compared in whole numbers (3·dialogue < total) so that a
    meeting of exactly one third is never flagged by a rounding error."""
    if not total_minutes:
        return False
    return Fraction(dialogue_minutes, total_minutes) < INFORMATION_HEAVY_BELOW


@dataclass(frozen=True)
class MinutesTally:
    dialogue_minutes: int
    total_minutes: int

    @classmethod
    def of(cls, meeting: Meeting) -> "MinutesTally":
        """The tally of a meeting read through with_minutes (its annotations)."""
        return cls(meeting.dialogue_minutes, meeting.total_minutes)

    @property
    def share(self) -> float | None:
        return dialogue_share(self.dialogue_minutes, self.total_minutes)

    @property
    def information_heavy(self) -> bool:
        return is_information_heavy(self.dialogue_minutes, self.total_minutes)


def tally(items: Iterable[tuple[str, int, int | None]]) -> MinutesTally:
    """The minutes of a meeting from its items as (kind, planned_minutes, actual_minutes)."""
    dialogue = total = 0
    for kind, planned, actual in items:
        minutes = item_minutes(planned, actual)
        total += minutes
        if kind == DIALOGUE:
            dialogue += minutes
    return MinutesTally(dialogue, total)


def quarter_of(moment: datetime.datetime, time_zone: str) -> tuple[int, int]:
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return local.year, (local.month - 1) // 3 + 1


def _next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@dataclass(frozen=True)
class QuarterShare:
    year: int
    quarter: int
    meetings: int
    information_heavy_meetings: int
    dialogue_minutes: int
    total_minutes: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def ends_on(self) -> datetime.date:
        year, quarter = _next_quarter(self.year, self.quarter)
        return datetime.date(year, 3 * quarter - 2, 1) - datetime.timedelta(days=1)

    @property
    def share(self) -> float | None:
        return dialogue_share(self.dialogue_minutes, self.total_minutes)


def quarterly(
    meetings: Iterable[tuple[datetime.datetime, str, int, int]],
) -> list[QuarterShare]:
    """The per-quarter series from held meetings as (starts_at, time_zone, dialogue_minutes,
    total_minutes), weighted by minutes, gaps between the first and last quarter filled."""
    buckets: dict[tuple[int, int], list[int]] = {}
    for starts_at, time_zone, dialogue, total in meetings:
        bucket = buckets.setdefault(quarter_of(starts_at, time_zone), [0, 0, 0, 0])
        bucket[0] += 1
        bucket[1] += int(is_information_heavy(dialogue, total))
        bucket[2] += dialogue
        bucket[3] += total
    if not buckets:
        return []
    series = []
    current, last = min(buckets), max(buckets)
    while current <= last:
        counts = buckets.get(current, [0, 0, 0, 0])
        series.append(QuarterShare(current[0], current[1], *counts))
        current = _next_quarter(*current)
    return series


# --- the same rules in the database --------------------------------------------------------


def _counted_minutes():
    return Coalesce("actual_minutes", "planned_minutes")


def with_minutes(meetings: QuerySet) -> QuerySet:
    """Annotate meetings with `dialogue_minutes` and `total_minutes` (0 without agenda), so a
    list computes every share in its one query and can filter on information-heavy.

    Correlated subqueries rather than a join with GROUP BY: PostgreSQL sums the agenda of the
    rows a page returns only (from the covering index agenda_item_minutes_idx), and the
    page's COUNT leaves the agenda out, where the grouped join summed every meeting of the
    arena first (bench/list_endpoints.py, "meetings of an arena")."""

    agenda = AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    counted = _counted_minutes()
    dialogue = agenda.annotate(
        minutes=Sum(
            Case(When(kind=DIALOGUE, then=counted), default=Value(0), output_field=IntegerField())
        )
    ).values("minutes")
    total = agenda.annotate(minutes=Sum(counted)).values("minutes")
    return meetings.annotate(
        dialogue_minutes=Coalesce(Subquery(dialogue, output_field=IntegerField()), Value(0)),
        total_minutes=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
    )


def information_heavy_condition() -> Q:
    """The database form of `is_information_heavy`, on `with_minutes` annotations."""
    return Q(total_minutes__gt=0) & Q(total_minutes__gt=F("dialogue_minutes") * 3)


def quarterly_series(meetings: QuerySet) -> list[QuarterShare]:
    """The quarterly series of any meetings (an arena's, a programme's, those a person may
    see): one query over the held ones."""
    rows = (
        with_minutes(meetings.filter(status__in=HELD_STATUSES).order_by())
        .values_list("starts_at", "time_zone", "dialogue_minutes", "total_minutes")
        .order_by("starts_at")
    )
    return quarterly(rows)
