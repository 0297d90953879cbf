"""The daily digest: one email a day to each person with what they chose to have gathered
(Delivery.DIGEST, and what the quiet rule moved there), at the time they picked in their
own time zone (Profile.digest_time, Profile.time_zone, else settings.TIME_ZONE).

The task runs every 15 minutes (setup_periodic_tasks). A person is due when their digest
time today (their local date) has passed and they have digest notices made before it that
are not yet emailed; notices made after it wait for tomorrow's. Their email is sent once
through workers.mail.send_once under `digest:<person>:<local date>`, in the transaction that
marks those notices emailed: run twice, or with a worker killed mid-send, one digest a day.
Being computed from the local date and time, it comes at 07:00 on the day the clocks
change too (the last Sundays of March and October in Europe).

A meeting the digest mentions comes with its current calendar entry attached (attach_latest).

The digest gathers kinds, so its List-Unsubscribe is the link to the person's settings
(without List-Unsubscribe-Post: that page asks for a sign-in, it is not one click)."""

import datetime
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from commissioning import mail
from commissioning.languages import language_of
from commissioning.models import Profile
from notifications import unsubscribe
from notifications.kinds import Delivery
from notifications.models import Notice
from notifications.services.delivery import link
from notifications.writers import WRITERS
from workers import mail as sending
from workers.models import Notification
from workers.relay import RETRY

DIGEST_TEMPLATE = "notifications/email/digest"


def waiting():
    """Digest notices not yet emailed, of people who can get email."""
    return (
        Notice.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .filter(person__is_active=True)
        .exclude(person__email="")
    )


def digest_moment(profile: Profile | None, now: datetime.datetime) -> tuple:
    """(local date, the aware moment of today's digest) for a person, in their zone."""
    zone = ZoneInfo((profile.time_zone if profile else "") or settings.TIME_ZONE)
    at = profile.digest_time if profile else Profile._meta.get_field("digest_time").default
    today = now.astimezone(zone).date()
    return today, datetime.datetime.combine(today, at, tzinfo=zone)


def due(now: datetime.datetime | None = None) -> list[tuple[int, datetime.date, datetime.datetime]]:
    """(person id, their local date, their digest moment) of everyone due now."""
    now = now or timezone.now()
    person_ids = set(waiting().values_list("person_id", flat=True).distinct())
    profiles = {p.person_id: p for p in Profile.objects.filter(person_id__in=person_ids)}
    found = []
    for person_id in sorted(person_ids):
        today, moment = digest_moment(profiles.get(person_id), now)
        if moment <= now:
            found.append((person_id, today, moment))
    return found


def key_of(person_id: int, day: datetime.date) -> str:
    return f"digest:{person_id}:{day.isoformat()}"


def send_digest(person_id: int, day: datetime.date, moment: datetime.datetime) -> bool:
    """The person's digest of `day`: every digest notice made before `moment` and not yet
    emailed, in one email, once. True if sent now."""
    key = key_of(person_id, day)
    if Notification.objects.filter(key=key).exists():
        return False
    person = get_user_model().objects.get(pk=person_id)
    with transaction.atomic():
        notices = list(
            waiting()
            .filter(person_id=person_id, created_at__lte=moment)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at", "pk")
        )
        if not notices:
            return False
        message = compose_digest(person, notices, day)

        def mark_emailed() -> None:
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())

        return sending.send_once(
            message,
            key=key,
            kind="digest",
            person=person,
            language=message.extra_headers["Content-Language"],
            on_claim=mark_emailed,
        )


def compose_digest(person, notices: list[Notice], day: datetime.date):
    settings_url = unsubscribe.settings_url()
    message = mail.compose(
        person=person,
        language=language_of(person),
        template=DIGEST_TEMPLATE,
        context={
            "items": [{"title": n.title, "url": link(n.url) if n.url else ""} for n in notices],
            "count": len(notices),
            "day": day,
            "settings_url": settings_url,
            "list_url": link("/notifications/"),
        },
        headers={"List-Unsubscribe": f"<{settings_url}>"},
    )
    attach_latest(message, notices)
    return message


def attach_latest(message, notices: list[Notice]) -> None:
    """The current attachment of each subject the digest mentions whose kind has one (a
    meeting's calendar entry, at its latest SEQUENCE), from its latest notice: a meeting
    changed twice in a day, whose second email the quiet rule moved here, still reaches the
    person's calendar with the digest."""
    latest: dict[tuple, Notice] = {}
    for notice in notices:
        if notice.kind in WRITERS and WRITERS[notice.kind].attach is not None:
            latest[(notice.subject_type_id, notice.subject_id)] = notice
    for notice in latest.values():
        writer = WRITERS[notice.kind]
        subject = writer.load([notice.subject_id]).get(notice.subject_id)
        if subject is not None:
            writer.attach(message, subject, notice)


def send_due_digests(now: datetime.datetime | None = None) -> int:
    """Every digest due now, each once; how many were sent."""
    return sum(send_digest(*row) for row in due(now))


@shared_task(name="notifications.send_due_digests", acks_late=True, **RETRY)
def send_due_digests_task() -> int:
    """Every 15 minutes in the beat schedule."""
    return send_due_digests()
