"""What follows from a signed contract: each person of the purchaser and of the provider
parties gets the obligation schedule, every obligation with its next due dates, in their
own language. Meeting points and deadlines get lost (DESIGN.md), so the schedule is put in
front of the people who owe the obligations the moment the contract binds them.

The due dates are not stored: they follow from each obligation's cadence
(contracts.occurrences.occurrences), and the reminders warn again as each comes due.
"""

import datetime
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commissioning.languages import language_of
from commissioning.models import Event, Membership
from contracts.models import Contract
from contracts.occurrences import occurrences
from workers.models import Notification
from workers.relay import handles

# How many due dates of each obligation the schedule lists.
NEXT_DUE_DATES = 3
# Politicians follow the programme, not the day-to-day duties of a contract.
RECIPIENT_ROLES = [
    Membership.Role.MANAGER,
    Membership.Role.OFFICER,
    Membership.Role.PROVIDER_REPRESENTATIVE,
]


def obligation_schedule(contract: Contract, *, start: datetime.date) -> list[dict]:
    """Each obligation of the contract with its next due dates on or after `start`."""
    schedule = []
    for obligation in contract.obligations.select_related("owed_by").order_by("first_due", "id"):
        schedule.append(
            {
                "obligation": obligation,
                "due_dates": occurrences(obligation, after=start, count=NEXT_DUE_DATES),
            }
        )
    return schedule


def recipients(contract: Contract) -> list[tuple]:
    """(person, organisation) for everyone of the purchaser and the parties, once each."""
    organisation_ids = [
        contract.purchaser_id,
        *contract.parties.values_list("organisation_id", flat=True),
    ]
    memberships = (
        Membership.objects.filter(organisation_id__in=organisation_ids, role__in=RECIPIENT_ROLES)
        .exclude(person__email="")
        .filter(person__is_active=True)
        .select_related("person__profile", "organisation")
        .order_by("person_id", "id")
    )
    seen, found = set(), []
    for membership in memberships:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            found.append((membership.person, membership.organisation))
    return found


@handles("contract.signed")
def send_obligation_schedule(event: Event) -> None:
    contract = (
        Contract.objects.select_related("purchaser", "programme")
        .filter(pk=event.subject_id)
        .first()
    )
    if contract is None:
        return
    start = max(timezone.localdate(), _period_start(contract))
    schedule = obligation_schedule(contract, start=start)
    if not schedule:
        # Nothing owed yet: obligations added later are announced by the reminders.
        return
    for person, organisation in recipients(contract):
        _send_once(contract, schedule, person, organisation)


def _period_start(contract: Contract) -> datetime.date:
    latest = contract.versions.order_by("-number").first()
    if latest is not None and latest.period_start is not None:
        return latest.period_start
    return timezone.localdate()


def _send_once(contract, schedule, person, organisation) -> None:
    language = language_of(person, organisation)
    key = f"obligation-schedule:{contract.pk}:{person.pk}"
    with translation.override(language):
        context = {
            "contract": contract,
            "title": str(contract),
            "person_name": person.get_full_name() or person.get_username(),
            "schedule": schedule,
            "language": language,
            "url": f"{settings.SITE_URL}/api/v1/contracts/{contract.pk}/",
        }
        subject = " ".join(
            render_to_string("workers/email/obligation_schedule_subject.txt", context).split()
        )
        text = render_to_string("workers/email/obligation_schedule.txt", context)
        html = render_to_string("workers/email/obligation_schedule.html", context)
    try:
        # The Notification row is the once-only key: a second relay finds it and sends
        # nothing. Its savepoint keeps the handler's transaction usable after a refusal.
        with transaction.atomic():
            Notification.objects.create(
                key=key,
                kind="obligation_schedule",
                recipient=person,
                email=person.email,
                subject=subject[:300],
                language=language,
            )
    except IntegrityError:
        return
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((contract.purchaser.name, address or settings.DEFAULT_FROM_EMAIL)),
        to=[formataddr((context["person_name"], person.email))],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    # Sent inside the handler's transaction: if sending fails, the Notification row and the
    # HandlerRun are rolled back with it and the sweep sends again.
    message.send()
