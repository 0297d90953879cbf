import datetime

import factory
from django.utils import timezone

from dialogue.models import AgendaItem, Arena, Invitation, Meeting
from tests.factories import ProviderFactory, PurchaserFactory


class ArenaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arena
        skip_postgeneration_save = True

    purchaser = factory.SubFactory(PurchaserFactory)
    name = factory.Sequence(lambda n: f"Provider council {n}")
    kind = Arena.Kind.PROVIDER_COUNCIL
    cadence_weeks = 8

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            self.members.add(organisation)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    arena = factory.SubFactory(ArenaFactory)
    purchaser = factory.LazyAttribute(
        lambda m: m.arena.purchaser if m.arena else m.programme.purchaser
    )
    programme = None
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    time_zone = "Europe/Stockholm"
    place = "Regionens hus, sal 3"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(ProviderFactory)
    person = None


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = AgendaItem.Kind.DIALOGUE
    planned_minutes = 30
