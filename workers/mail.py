"""Sending once. Every email of an occasion has a key ("pulse:17",
"action-overdue:17:2026-11-20:42"); a Notification row with that key is inserted in the same
transaction as the sending. A job run twice, or two workers at once, find the row and send
nothing; if sending raises, the row rolls back and the next run tries again. The one window
left is a send that succeeds followed by a failed commit: then the person may get the email
twice, never zero times. Composing is commissioning.mail.compose; who is written to for an
organisation is `people_of`."""

from collections.abc import Callable, Iterable

from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from commissioning.models import Membership, Organisation
from workers.models import Notification

Role = Membership.Role

Kind = Organisation.Kind

STAFF_ROLES = [Role.MANAGER, Role.OFFICER]

# The roles that speak for an organisation of each kind; politicians get no reminders.
PEOPLE_BY_KIND = {
    Kind.PURCHASER: STAFF_ROLES,
    Kind.PROVIDER: [Role.PROVIDER_REPRESENTATIVE],
    Kind.PROVIDER_NETWORK: [Role.PROVIDER_REPRESENTATIVE],
    Kind.POLITICAL_BODY: [],
}


def people_of(
    organisations: Iterable[Organisation], roles: Iterable[str] | None = None
) -> list[tuple]:
    """(person, organisation) for everyone who speaks for the organisations: the roles given,
    or those of each organisation's kind. One row per person (the first organisation wins),
    only active people with an email address."""
    organisations = list(organisations)
    condition = Q()
    for organisation in organisations:
        allowed = list(roles) if roles is not None else PEOPLE_BY_KIND.get(organisation.kind, [])
        if allowed:
            condition |= Q(organisation=organisation, role__in=allowed)
    if not condition:
        return []
    memberships = (
        Membership.objects.filter(condition, person__is_active=True)
        .exclude(person__email="")
        .select_related("person__profile", "organisation")
        .order_by("person_id", "id")
    )
    seen, found = set(), []
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            found.append((membership.person, membership.organisation))
    return found


def claim(*, key: str, kind: str, person, subject: str, language: str) -> bool:
    """Insert the Notification of `key` unless it exists; True if this call inserted it.

    One statement that both asks and claims (INSERT … ON CONFLICT DO NOTHING RETURNING, in
    PostgreSQL and SQLite alike): a second delivery waits here for the first one's
    transaction and then finds the row. The ORM cannot tell whether an ignore_conflicts
    insert inserted, hence SQL; it keeps sending at few round trips per email
    (bench/pulse_invitations.py)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in ("key", "kind", "recipient_id", "email", "subject", "language", "sent_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT ({connection.ops.quote_name('key')}) DO NOTHING RETURNING id",
            [key, kind, person.pk, person.email, subject[:300], language, timezone.now()],
        )
        return cursor.fetchone() is not None


def send_once(
    message: EmailMultiAlternatives,
    *,
    key: str,
    kind: str,
    person,
    language: str,
    on_claim: Callable[[], None] | None = None,
) -> bool:
    """Send `message` to `person` unless the email of `key` was sent; True if sent now.
    `on_claim` runs after the claim, before the sending, in the same transaction (a pulse
    stores its new token there)."""
    with transaction.atomic():
        if not claim(key=key, kind=kind, person=person, subject=message.subject, language=language):
            return False
        if on_claim is not None:
            on_claim()
        message.send()
    return True
