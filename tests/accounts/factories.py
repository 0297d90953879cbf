import datetime

import factory
from django.utils import timezone

from accounts.models import Invitation
from commissioning.models import Membership
from tests.factories import PurchaserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    organisation = factory.SubFactory(PurchaserFactory)
    role = Membership.Role.OFFICER
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    invited_for = factory.SelfAttribute("organisation")
