import factory

from commissioning.models import Milestone, MilestoneKind
from contracts.models import Clause, Rulebook, RulebookVersion
from tests.factories import ProgrammeFactory


class RulebookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rulebook

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Regelbok {n}")


class RulebookVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RulebookVersion

    rulebook = factory.SubFactory(RulebookFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = RulebookVersion.Status.DRAFT


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    version = factory.SubFactory(RulebookVersionFactory)
    key = factory.Sequence(lambda n: f"{n + 1}")
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Heading {n}")
    text = "The provider shall report waiting times every month."


class GatingMilestoneFactory(factory.django.DjangoModelFactory):
    """A gating milestone of a programme, still open unless told otherwise."""

    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Early dialogue with providers {n}")
    kind = MilestoneKind.ENGAGEMENT
    gating = True
    status = Milestone.Status.PLANNED


def rulebook_with_version(programme, *, status=RulebookVersion.Status.DRAFT, clauses=()):
    """A rulebook of `programme` with version 1 in `status`, holding `clauses` given as
    (key, heading, text) in order."""
    version = RulebookVersionFactory(
        rulebook=RulebookFactory(programme=programme), number=1, status=status
    )
    for position, (key, heading, text) in enumerate(clauses, start=1):
        ClauseFactory(version=version, key=key, heading=heading, text=text, position=position)
    return version
