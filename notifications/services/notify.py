"""Telling people: `notify` makes one Notice per person for an occasion, in their language,
with their choice of delivery; the emails of those to be emailed at once are sent after the
commit, in chunks (notifications.services.delivery). The occasions (notifications.handlers)
say only who is told about what.

Once: the notice's key is the occasion's key and the person ("minutes-approved:17:42"), and
a unique constraint keeps a second relay of the same Event from making a second notice.

Quiet: a person never gets more than one email of a kind about the same subject within a
day (a meeting changed five times in an afternoon): the later ones go to their digest."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import translation

from commissioning.languages import chosen_or_country, language_of
from commissioning.models import Organisation, Profile
from notifications.kinds import Delivery
from notifications.models import Notice
from notifications.selectors import deliveries
from notifications.services.delivery import enqueue_delivery
from notifications.writers import writer_of


def _language(person, organisation: Organisation | None) -> str:
    if organisation is None:
        return language_of(person)
    try:
        chosen = person.profile.language
    except Profile.DoesNotExist:
        chosen = None
    return chosen_or_country(chosen, organisation.country)


def title_of(writer, subject: Model, notice: Notice) -> str:
    """The subject line of the notice's email, in its language: also its in-app title."""
    with translation.override(notice.language):
        context = {**writer.context(subject, notice), "language": notice.language}
        text = render_to_string(f"{writer.template}_subject.txt", context)
    return " ".join(text.split())[:300]


def notify(
    *,
    kind: str,
    subject: Model,
    recipients: Iterable[tuple],
    occasion: str,
    url: str = "",
) -> list[Notice]:
    """Tell each (person, organisation) of `recipients` about `subject`, once per person:
    `occasion` names the occasion ("consultation-opened:12") and with the person's id makes
    the notice's key. `url` is the path of the page to open (the email makes it absolute).
    Returns the notices made now (none for people already told). Call it inside the
    handler's transaction: the emails go after the commit."""
    writer = writer_of(kind)
    people: dict[int, tuple] = {}
    for person, organisation in recipients:
        if person.pk not in people and person.is_active:
            people[person.pk] = (person, organisation)
    if not people:
        return []
    keys = {pk: f"{occasion}:{pk}"[:200] for pk in people}
    existing = set(Notice.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    chosen = deliveries([pk for pk in people if keys[pk] not in existing], kind)
    subject_type = ContentType.objects.get_for_model(subject)
    notices = []
    for pk, delivery in chosen.items():
        person, organisation = people[pk]
        notice = Notice(
            person=person,
            organisation=organisation,
            kind=kind,
            key=keys[pk],
            subject_type=subject_type,
            subject_id=str(subject.pk),
            url=url,
            language=_language(person, organisation),
            delivery=delivery,
        )
        notice.title = title_of(writer, subject, notice)
        notices.append(notice)
    Notice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=1000)
    made = list(
        Notice.objects.filter(
            key__in=[n.key for n in notices], emailed_at__isnull=True
        ).values_list("pk", "delivery")
    )
    enqueue_delivery([pk for pk, delivery in made if delivery == Delivery.IMMEDIATELY])
    return notices
