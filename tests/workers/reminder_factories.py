"""Factories for the reminder tests: the rows are written straight to the database so each
test starts where the reminder looks (the reminders are what the tests exercise)."""

import datetime

import factory
from django.core import mail

from commissioning.models import Profile
from tests.commissioning.milestone_factories import MilestoneFactory
from tests.contracts.factories import ContractPartyFactory, ObligationFactory
from tests.dialogue.factories import ArenaFactory, MeetingFactory
from tests.dialogue.relationship_factories import (
    ActionItemFactory,
    AttendanceRevisionFactory,
    ContractFactory,
)
from tests.dialogue.response_factories import (
    CommentFactory,
    ConsultationFactory,
    ResponseFactory,
)

__all__ = [
    "TODAY",
    "ActionItemFactory",
    "ArenaFactory",
    "AttendanceRevisionFactory",
    "CommentFactory",
    "ConsultationFactory",
    "ContractFactory",
    "ContractPartyFactory",
    "MeetingFactory",
    "MilestoneFactory",
    "ObligationFactory",
    "ProfileFactory",
    "ResponseFactory",
    "emails_to",
    "html_of",
]

# A Wednesday, so that "in 3 days" and working days are easy to read in the tests.
TODAY = datetime.date(2027, 3, 10)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["person"]

    language = ""


def emails_to(person) -> list:
    """The messages in the locmem outbox addressed to one person."""
    return [m for m in mail.outbox if any(person.email in to for to in m.to)]


def html_of(message) -> str:
    (content, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return content
