"""Factories for the meeting record (part A of the meetings issue): held meetings, decisions,
action items, attendance and minutes revisions. The basic ones live in factories.py."""

import datetime

import factory
from django.utils import timezone

from dialogue.models import (
    ActionItem,
    AttendanceEntry,
    AttendanceRevision,
    Decision,
    Meeting,
    MinutesRevision,
)
from tests.dialogue.factories import (
    AgendaItemFactory,
    ArenaFactory,
    InvitationFactory,
    MeetingFactory,
)


class HeldMeetingFactory(MeetingFactory):
    """A meeting that took place last week."""

    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    status = Meeting.Status.HELD


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"Decided point {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(HeldMeetingFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_organisation = factory.LazyAttribute(lambda a: a.meeting.purchaser)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class AttendanceRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceRevision

    meeting = factory.SubFactory(HeldMeetingFactory)
    number = factory.Sequence(lambda n: n + 1)


class AttendanceEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceEntry

    revision = factory.SubFactory(AttendanceRevisionFactory)
    organisation = factory.LazyAttribute(lambda e: e.revision.meeting.purchaser)
    status = AttendanceEntry.Status.PRESENT


class MinutesRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinutesRevision

    meeting = factory.SubFactory(HeldMeetingFactory)
    number = 1
    text = "## Minutes\n\nWe spoke about discharge notices."


def meeting_in_a(world, *, held: bool = False, **fields) -> Meeting:
    """A meeting of purchaser A's provider council, with provider_in_a and the network
    invited: the meeting of the access tests."""
    arena = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    factory_class = HeldMeetingFactory if held else MeetingFactory
    meeting = factory_class(arena=arena, **fields)
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a)
    InvitationFactory(meeting=meeting, organisation=world.network)
    return meeting
