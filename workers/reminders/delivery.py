"""Reminders and alerts: one function per kind finds what is due on a day and emails each
person concerned once (workers.reminders.deadlines, workers.reminders.silences; the daily
job: workers.reminders.jobs). This module: who speaks for an organisation, and sending once.

"Meeting points and notifications get lost" (DESIGN.md, the Norwegian finding): these are the
follow-ups that keep open actions, obligations, milestones, consultations and quiet
relationships in view.

Each email is sent once. A Notification row keyed by the occasion and the recipient
("action-overdue:17:2026-11-20:42") is inserted in the same transaction as the sending: a job
run twice finds the row and sends nothing; if sending raises, the row rolls back and the next
run tries again. (The one window left is a send that succeeds followed by a failed commit:
then the person may get the email twice, never zero times.)

Every function takes `today` so that a run is about one day; the tasks pass
timezone.localdate(). Recipients without an email address, or inactive, are skipped.
"""

import datetime
from collections.abc import Iterable
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from commissioning.languages import language_of
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
# An obligation is owed once the contract is signed, and until it ends.


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
        .select_related("person", "organisation")
        .order_by("person_id", "id")
    )
    seen, found = set(), []
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            found.append((membership.person, membership.organisation))
    return found


def link(name: str, *, query: str = "", **kwargs) -> str:
    """An absolute link to an object, for the email."""
    path = reverse(name, kwargs=kwargs)
    return f"{settings.SITE_URL}{path}" + (f"?{query}" if query else "")


def send_once(
    *,
    kind: str,
    key: str,
    person,
    organisation: Organisation | None,
    subject,
    subject_params: dict,
    template: str,
    context: dict,
    sender: Organisation | None = None,
) -> bool:
    """Email `person` once for the occasion named by `key`, in their language, with plain
    text and HTML parts. True if sent now, False if it was sent before."""
    if Notification.objects.filter(key=key).exists():
        return False
    language = language_of(person, organisation)
    person_name = person.get_full_name() or person.get_username()
    with translation.override(language):
        # Dates in the subject are written the way the reader's language writes them.
        params = {
            name: date_format(value) if isinstance(value, datetime.date) else value
            for name, value in subject_params.items()
        }
        subject_text = " ".join(str(subject % params).split())
        full_context = {
            **context,
            "person_name": person_name,
            "organisation": organisation,
            "language": language,
            "subject": subject_text,
        }
        text = render_to_string(f"workers/email/reminder_{template}.txt", full_context)
        html = render_to_string(f"workers/email/reminder_{template}.html", full_context)
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    from_email = settings.DEFAULT_FROM_EMAIL
    if sender is not None:
        from_email = formataddr((sender.name, address or settings.DEFAULT_FROM_EMAIL))
    message = EmailMultiAlternatives(
        subject=subject_text,
        body=text,
        from_email=from_email,
        to=[formataddr((person_name, person.email))],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            # The row first: a second run (or a concurrent worker) waits on the unique key
            # and then fails, instead of sending. Sending inside the transaction means a
            # failed send leaves no row, so the next run tries again.
            Notification.objects.create(
                key=key,
                kind=kind,
                recipient=person,
                email=person.email,
                subject=subject_text[:300],
                language=language,
            )
            message.send()
    except IntegrityError:
        return False
    return True


def days_after(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)
