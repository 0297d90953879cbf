"""Factories for milestones and, for the milestone and OCDS tests, plain contract rows (the
contract services are written elsewhere; these tests need only the rows)."""

import datetime
from decimal import Decimal

import factory

from commissioning.models import Milestone, MilestoneEvidence, MilestoneKind
from contracts.models import Contract, ContractParty, ContractVersion
from tests.factories import ProgrammeFactory, ProviderFactory


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = MilestoneKind.ENGAGEMENT
    position = factory.Sequence(lambda n: n + 1)
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class MilestoneEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneEvidence

    milestone = factory.SubFactory(MilestoneFactory)
    kind = MilestoneEvidence.Kind.LINK
    title = factory.Sequence(lambda n: f"Minutes {n}")
    url = "https://example.org/minutes"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    programme = factory.SubFactory(ProgrammeFactory)
    purchaser = factory.LazyAttribute(lambda c: c.programme.purchaser)
    reference = factory.Sequence(lambda n: f"C-{n:04}")


class ContractPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractParty

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SubFactory(ProviderFactory)
    role = ContractParty.Role.PROVIDER


class ContractVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractVersion

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Integrated respiratory service"
    kind = Contract.Kind.SERVICE
    period_start = datetime.date(2027, 4, 1)
    period_end = datetime.date(2030, 3, 31)
    value = Decimal("1250000.00")
    currency = "GBP"
