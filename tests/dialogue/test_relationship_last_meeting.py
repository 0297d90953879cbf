"""The last meeting of a relationship is read in steps (the last year first, the history
only for pairs not found there; dialogue.selectors.relationships._last_meetings): the figures
must be those of one look over all of it, whatever the step that finds them."""

import datetime

import pytest
from django.utils import timezone

from dialogue.models import Meeting
from dialogue.selectors import relationships
from tests.dialogue.factories import ArenaFactory, MeetingFactory
from tests.dialogue.relationship_factories import AttendanceRevisionFactory
from tests.factories import ProgrammeFactory, ProviderFactory


def local_noon(days_ago: int) -> datetime.datetime:
    """Noon of the local day `days_ago` days back: counted in calendar days, a meeting held
    "100 days ago" must fall on that day whatever the time of day and summer time say."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def held(arena, days: int) -> Meeting:
    return MeetingFactory(
        arena=arena,
        starts_at=local_noon(days),
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def history(world):
    """Purchaser A meets a regular provider 20 and 500 days ago, an old partner only 700 and
    400 days ago, a corrected one present 600 days ago only in a revision later corrected to
    absent (and present 800 days ago), and never meets a fourth."""
    arena = ArenaFactory(purchaser=world.purchaser_a)
    regular, old, corrected, never = ProviderFactory.create_batch(4)
    ProgrammeFactory(purchaser=world.purchaser_a, participants=[regular, old, corrected, never])
    for days, present in [(20, [regular]), (500, [regular]), (700, [old]), (400, [old])]:
        AttendanceRevisionFactory(meeting=held(arena, days), number=1, present=present)
    six_hundred = held(arena, 600)
    AttendanceRevisionFactory(meeting=six_hundred, number=1, present=[corrected])
    AttendanceRevisionFactory(meeting=six_hundred, number=2, absent=[corrected])
    AttendanceRevisionFactory(meeting=held(arena, 800), number=1, present=[corrected])
    return world, {"regular": regular, "old": old, "corrected": corrected, "never": never}


def days_by_provider(world, providers) -> dict[str, int | None]:
    rows = relationships.relationship_health(person=world.people["manager_a"])
    days = {row.provider_id: row.days_since_last_meeting for row in rows}
    return {name: days[provider.pk] for name, provider in providers.items()}


def test_each_step_finds_the_last_meeting(history):
    world, providers = history
    assert days_by_provider(world, providers) == {
        "regular": 20,  # within the year
        "old": 400,  # before it: the history is read
        "corrected": 800,  # the corrected revision is not its last meeting
        "never": None,
    }


def test_a_year_is_where_the_first_look_ends(history, monkeypatch):
    # Whatever the window, the same figures: a window of a day finds none in the first step.
    world, providers = history
    expected = days_by_provider(world, providers)
    monkeypatch.setattr(relationships, "RECENT_DAYS", 1)
    assert days_by_provider(world, providers) == expected
