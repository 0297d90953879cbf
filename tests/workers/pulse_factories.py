"""Factories for trust pulses: a pulse already sent (with the token of its link), answers."""

import datetime
import secrets

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dialogue.models import Meeting
from tests.dialogue.meeting_factories import HeldMeetingFactory
from tests.factories import PersonFactory, ProviderFactory, PurchaserFactory
from workers.models import PulseAnswer, TrustPulse
from workers.selectors.pulses import hash_token


class TrustPulseFactory(factory.django.DjangoModelFactory):
    """A pulse about a held meeting; `token` (not stored) is the one of its link."""

    class Meta:
        model = TrustPulse
        exclude = ["token", "meeting"]

    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(ProviderFactory)
    purchaser = factory.SubFactory(PurchaserFactory)
    meeting = None
    programme = None
    arena = None
    occasion_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Meeting))
    occasion_id = factory.LazyAttributeSequence(
        lambda p, n: str(p.meeting.pk) if p.meeting else str(1_000_000 + n)
    )
    occasion_date = factory.LazyFunction(timezone.localdate)
    token_hash = factory.LazyAttribute(lambda p: hash_token(p.token))
    language = "en"
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def issued_pulse(*, meeting=None, **fields) -> tuple[TrustPulse, str]:
    """A sent pulse about a held meeting, and the token of its link."""
    meeting = meeting or HeldMeetingFactory(title="Provider council, November")
    fields.setdefault("purchaser", meeting.purchaser)
    token = secrets.token_urlsafe(32)
    return TrustPulseFactory(token=token, meeting=meeting, **fields), token


class PulseAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseAnswer

    pulse = factory.SubFactory(TrustPulseFactory)
    involved_early = 3
    room_for_dialogue = 3
    open_about_finances = 3
    equal_treatment = 3
    good_faith = 3
    free_text = ""
