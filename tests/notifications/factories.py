import factory
from django.contrib.contenttypes.models import ContentType

from notifications.kinds import Delivery
from notifications.models import Notice


class NoticeFactory(factory.django.DjangoModelFactory):
    """A notice about `about` (any row: a meeting, a programme), to `person`."""

    class Meta:
        model = Notice
        exclude = ["about"]

    about = None
    kind = "minutes_approved"
    key = factory.Sequence(lambda n: f"test-occasion:{n}")
    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.about))
    subject_id = factory.LazyAttribute(lambda o: str(o.about.pk))
    title = factory.Sequence(lambda n: f"Minutes approved: meeting {n}")
    url = "/"
    language = "en"
    delivery = Delivery.IMMEDIATELY
