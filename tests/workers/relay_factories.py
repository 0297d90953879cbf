"""Factories of the relay tests: Events written straight to the database (the services that
write them are tested with their apps), and a finalised contract with obligations."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from commissioning.models import Event
from contracts.models import Contract, ContractParty, Obligation
from tests.contracts.factories import ContractFactory, ContractPartyFactory, ObligationFactory
from tests.factories import ProgrammeFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        exclude = ["subject"]

    subject = factory.SubFactory(ProgrammeFactory)
    verb = "programme.updated"
    subject_type = factory.LazyAttribute(lambda e: ContentType.objects.get_for_model(e.subject))
    subject_id = factory.LazyAttribute(lambda e: str(e.subject.pk))
    subject_repr = factory.LazyAttribute(lambda e: str(e.subject))
    purchaser = factory.LazyAttribute(lambda e: getattr(e.subject, "purchaser", None))


def contract_ready_to_sign(world) -> Contract:
    """Purchaser A's finalised contract with Provider in A as lead provider (the period starts
    on 1 January 2027), a quarterly report owed by the provider and a yearly review owed by
    the purchaser."""
    contract = ContractFactory(
        programme=world.programme_a,
        status=Contract.Status.FINALISED,
        terms={"title": "Närvård i Ånge"},
    )
    ContractPartyFactory(
        contract=contract, organisation=world.provider_in_a, role=ContractParty.Role.LEAD_PROVIDER
    )
    ObligationFactory(
        contract=contract,
        title="Kvartalsrapport",
        owed_by=world.provider_in_a,
        cadence=Obligation.Cadence.QUARTERLY,
        first_due=datetime.date(2027, 3, 31),
    )
    ObligationFactory(
        contract=contract,
        title="Årlig uppföljning",
        owed_by=world.purchaser_a,
        cadence=Obligation.Cadence.YEARLY,
        first_due=datetime.date(2027, 12, 15),
    )
    return contract
