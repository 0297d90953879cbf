"""Factories for the calendar, concern, relationship-health and equal-treatment tests."""

import datetime

import factory
from django.utils import timezone

from contracts.models import Contract, ContractParty
from dialogue.models import (
    ActionItem,
    AttendanceEntry,
    AttendanceRevision,
    Concern,
)
from tests.dialogue.factories import MeetingFactory
from tests.factories import ProgrammeFactory, ProviderFactory, PurchaserFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    purchaser = factory.LazyAttribute(lambda c: c.programme.purchaser)
    status = Contract.Status.ACTIVE

    @factory.post_generation
    def providers(self, create, extracted, **kwargs):
        for position, organisation in enumerate(extracted or ()):
            role = (
                ContractParty.Role.LEAD_PROVIDER if position == 0 else ContractParty.Role.PROVIDER
            )
            ContractParty.objects.create(contract=self, organisation=organisation, role=role)


class AttendanceRevisionFactory(factory.django.DjangoModelFactory):
    """An attendance revision; `present`, `absent` and `excused` list the organisations."""

    class Meta:
        model = AttendanceRevision
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    number = 1

    @factory.post_generation
    def present(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            AttendanceEntry.objects.create(
                revision=self, organisation=organisation, status=AttendanceEntry.Status.PRESENT
            )

    @factory.post_generation
    def absent(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            AttendanceEntry.objects.create(
                revision=self, organisation=organisation, status=AttendanceEntry.Status.ABSENT
            )


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_organisation = factory.SubFactory(ProviderFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ConcernFactory(factory.django.DjangoModelFactory):
    """By default a provider raises it with the purchaser."""

    class Meta:
        model = Concern

    purchaser = factory.SubFactory(PurchaserFactory)
    raised_by = factory.SubFactory(ProviderFactory)
    raised_with = factory.LazyAttribute(lambda c: c.purchaser)
    title = factory.Sequence(lambda n: f"Discharge notices arrive late ({n})")
    reply_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
