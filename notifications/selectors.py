"""Reading notifications: a person's choices, their list and unread count."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from notifications.kinds import KINDS, Delivery
from notifications.models import Notice, Preference


def delivery_of(kind: str, chosen: str | None) -> str:
    """What a choice (or none) means for a kind: a required kind is always emailed at once."""
    definition = KINDS[kind]
    if definition.required:
        return Delivery.IMMEDIATELY
    return chosen or definition.default


def deliveries(person_ids, kind: str) -> dict[int, str]:
    """person id → delivery of `kind`, for many people in one query."""
    chosen = dict(
        Preference.objects.filter(person_id__in=list(person_ids), kind=kind).values_list(
            "person_id", "delivery"
        )
    )
    return {pk: delivery_of(kind, chosen.get(pk)) for pk in person_ids}


def preferences_of(person) -> list[dict]:
    """Every kind with the person's delivery of it, in the catalogue's order."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "delivery"))
    return [
        {"kind": kind, "delivery": delivery_of(code, chosen.get(code))}
        for code, kind in KINDS.items()
    ]


def notices_of(person) -> QuerySet[Notice]:
    return Notice.objects.filter(person=person)


def inbox_of(person, *, unread: bool | None = None) -> QuerySet[Notice]:
    """The person's list: unread first, then newest first. `unread` keeps only the unread
    (True) or only the read (False)."""
    notices = notices_of(person)
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    return notices.alias(read=read).order_by("read", "-created_at", "-id")


def unread_count(person) -> int:
    if person is None or not person.is_authenticated:
        return 0
    return Notice.objects.filter(person=person, read_at__isnull=True).count()
