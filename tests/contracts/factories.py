"""Factories for contract rows, written straight to the database so that each test starts a
contract in the status it needs (the services are what the tests exercise)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from commissioning.models import Milestone, MilestoneKind
from contracts.models import (
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    ObligationFulfilment,
)
from tests.factories import ProgrammeFactory

SIGNED_STATUSES = {
    Contract.Status.SIGNED,
    Contract.Status.ACTIVE,
    Contract.Status.ENDED,
    Contract.Status.TERMINATED,
}


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract with version 1 of its terms; signed ones have their versions sealed."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    purchaser = factory.LazyAttribute(lambda c: c.programme.purchaser)
    reference = factory.Sequence(lambda n: f"C-{n:04}")
    status = Contract.Status.DRAFT
    signed_at = factory.LazyAttribute(
        lambda c: timezone.now() if c.status in SIGNED_STATUSES else None
    )

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        if not create:
            return
        values = {
            "title": "Integrated respiratory service",
            "kind": Contract.Kind.SERVICE,
            "period_start": datetime.date(2027, 1, 1),
            "period_end": datetime.date(2029, 12, 31),
            "value": Decimal("1200000.00"),
            "currency": "SEK",
            "notice_period_months": 6,
            "clinical_governance": "A joint clinical-governance group meets quarterly.",
            **(extracted or {}),
            **kwargs,
        }
        ContractVersionFactory(contract=self, number=1, sealed_at=self.signed_at, **values)


class ContractVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractVersion

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 2)
    title = "Integrated respiratory service"
    kind = Contract.Kind.SERVICE
    change_summary = "Terms"


class ContractPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractParty

    contract = factory.SubFactory(ContractFactory)
    role = ContractParty.Role.PROVIDER


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    contract = factory.SubFactory(ContractFactory)
    title = "Quarterly activity report"
    owed_by = factory.LazyAttribute(lambda o: o.contract.purchaser)
    cadence = Obligation.Cadence.QUARTERLY
    first_due = datetime.date(2027, 3, 31)


class ObligationFulfilmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObligationFulfilment

    obligation = factory.SubFactory(ObligationFactory)
    due = factory.LazyAttribute(lambda f: f.obligation.first_due)
    fulfilled_on = factory.LazyAttribute(lambda f: f.due)


class GatingMilestoneFactory(factory.django.DjangoModelFactory):
    """An early-dialogue step that stands in the way of finalising while it is open."""

    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Early dialogue with providers {n}")
    kind = MilestoneKind.ENGAGEMENT
    gating = True
    status = Milestone.Status.PLANNED
    position = factory.Sequence(lambda n: n + 1)
