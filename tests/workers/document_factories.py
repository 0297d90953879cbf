"""A programme of purchaser A with something for every kind of document: a closed
consultation with Swedish comments (one answered, one from the network co-signed by its
member), a held meeting with agenda, decisions, actions, attendance and minutes, a signed
contract with an obligation, and milestones of which one is gating."""

import datetime

import factory
from django.utils import timezone

from commissioning.models import Milestone, MilestoneKind
from contracts.models import Contract, ContractParty
from dialogue.models import AgendaItem
from tests.contracts.factories import ContractFactory, ContractPartyFactory, ObligationFactory
from tests.dialogue import response_factories
from tests.dialogue.factories import AgendaItemFactory, InvitationFactory
from tests.dialogue.meeting_factories import (
    ActionItemFactory,
    AttendanceEntryFactory,
    AttendanceRevisionFactory,
    DecisionFactory,
    HeldMeetingFactory,
    MinutesRevisionFactory,
)

PROGRAMME_NAME = "Närvård i Åre och Östersund"
SWEDISH_COMMENT = "Vårdcentralen behöver öppet till 19:00 för föräldrar."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = MilestoneKind.ENGAGEMENT
    status = Milestone.Status.PLANNED
    position = factory.Sequence(lambda n: n + 1)


def document_scene(world):
    """Fill `world` with the subjects of the four kinds of document (all of purchaser A)."""
    programme = world.programme_a
    programme.name = PROGRAMME_NAME
    programme.language = "sv"
    programme.target_decision_date = datetime.date(2027, 3, 15)
    programme.save()
    response_factories.scene(world)
    response_factories.close(world.consultation)
    response_factories.next_version(
        world.consultation, changes={"2": "The centre is open 08:00 to 19:00 on weekdays."}
    )

    meeting = HeldMeetingFactory(arena=None, programme=programme, purchaser=world.purchaser_a)
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a)
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.INFORMATION, title="Lägesbild")
    dialogue = AgendaItemFactory(meeting=meeting, title="Öppettider i glesbygd")
    decision = AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.DECISION, title="Beslut")
    DecisionFactory(agenda_item=decision, text="Försöket med kvällsöppet förlängs.")
    ActionItemFactory(meeting=meeting, agenda_item=dialogue, title="Skicka förslag på öppettider")
    revision = AttendanceRevisionFactory(meeting=meeting, number=1)
    AttendanceEntryFactory(revision=revision, organisation=world.purchaser_a)
    AttendanceEntryFactory(revision=revision, organisation=world.provider_in_a)
    MinutesRevisionFactory(meeting=meeting, text="## Protokoll\n\nVi talade om kvällsöppet.")
    world.meeting = meeting

    contract = ContractFactory(
        programme=programme, status=Contract.Status.SIGNED, terms={"title": "Närvårdsavtal"}
    )
    ContractPartyFactory(
        contract=contract, organisation=world.provider_in_a, role=ContractParty.Role.LEAD_PROVIDER
    )
    ObligationFactory(contract=contract, owed_by=world.provider_in_a)
    MilestoneFactory(
        programme=programme, contract=contract, title="Avtalsstart", kind=MilestoneKind.DELIVERY
    )
    world.contract = contract

    MilestoneFactory(
        programme=programme,
        title="Tidig dialog med utförare",
        gating=True,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    MilestoneFactory(
        programme=programme,
        title="Behovsanalys",
        status=Milestone.Status.MET,
        met_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    return world


def crowd_comments(world, count: int) -> None:
    """Many more comments on the consultation: a briefing of some thirty pages."""
    clauses = list(world.consultation.rulebook_version.clauses.all())
    for n in range(count):
        comment = response_factories.CommentFactory(
            consultation=world.consultation,
            organisation=world.provider_in_a,
            clause=clauses[n % len(clauses)],
            text=(
                f"Synpunkt {n}: vi föreslår att rapporteringen sker kvartalsvis i stället för "
                "månadsvis, eftersom små vårdgivare annars får orimligt mycket administration. "
                "Även väntetiderna bör redovisas per ort så att Åre och Östersund kan jämföras."
            ),
        )
        if n % 2:
            response_factories.ResponseFactory(
                comment=comment, reason=f"Vi ändrar till kvartalsvis rapportering ({n})."
            )
