"""Emailing notices once. A notice to be emailed at once is sent by the `deliver` task after
the commit that made it, or by the sweep if that task was lost; each email goes through
workers.mail.send_once under the key "notice:{notice key}" in the transaction that also
marks the notice emailed, so a task delivered twice, or a worker killed mid-send, sends each
email once (the one window: an email handed to SMTP just before its commit failed is sent
again, never lost).

Every email has the link to the person's settings, and, unless its kind cannot be turned off,
the kind's unsubscribe link in its footer and in List-Unsubscribe with List-Unsubscribe-Post
(RFC 8058)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from commissioning import mail
from notifications import unsubscribe
from notifications.kinds import KINDS, Delivery
from notifications.models import Notice
from notifications.writers import writer_of
from workers import mail as sending
from workers.publishing import send
from workers.relay import RETRY

# A person gets at most one email of a kind about one subject within this time; the rest of
# that day's go to their digest.
QUIET_PERIOD = datetime.timedelta(days=1)
# The sweep leaves notices this young to the task that was sent for them.
SWEEP_AFTER = datetime.timedelta(minutes=2)
SWEEP_LIMIT = 5000
# Notices emailed per task: one SMTP session each; small enough that a retried chunk
# repeats little, large enough that 6,000 emails are 60 tasks.
CHUNK = 100


def link(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def email_of(notice: Notice, subject) -> EmailMultiAlternatives:
    """The notice's email in its language, from the organisation that speaks, with the
    unsubscribe link of its kind."""
    writer = writer_of(notice.kind)
    kind = KINDS[notice.kind]
    links = {
        "url": link(notice.url),
        "unsubscribe_url": unsubscribe.unsubscribe_url(notice.person_id, notice.kind),
        "settings_url": unsubscribe.settings_url(),
        "kind": kind,
    }
    message = mail.compose(
        person=notice.person,
        language=notice.language,
        template=writer.template,
        context={**writer.context(subject, notice), **links, "notice": notice},
        sender_name=writer.sender(subject),
        # A kind nobody can turn off offers no one-click unsubscribe (its footer links to the
        # settings only).
        headers={
            # Automatic (RFC 3834: no out-of-office replies), and of which kind, so that people
            # can sort their mail by it.
            "Auto-Submitted": "auto-generated",
            "X-Notification-Kind": notice.kind,
            **({} if kind.required else unsubscribe.headers(notice.person_id, notice.kind)),
        },
    )
    if writer.attach is not None:
        writer.attach(message, subject, notice)
    return message


def quiet_key(notice: Notice) -> tuple:
    return (notice.person_id, notice.kind, notice.subject_type_id, notice.subject_id)


def emailed_lately(notices: list[Notice]) -> set[tuple]:
    """The (person, kind, subject) of these notices about which an email already went to
    the person within the quiet period, in one query for the chunk (a query per notice was
    a third of a 6,000-email fan-out's database time: bench/notification_fanout.py). A
    required kind is never held back."""
    held = [n for n in notices if not KINDS[n.kind].required]
    if not held:
        return set()
    rows = Notice.objects.filter(
        person_id__in={n.person_id for n in held},
        kind__in={n.kind for n in held},
        subject_id__in={n.subject_id for n in held},
        delivery=Delivery.IMMEDIATELY,
        emailed_at__gte=timezone.now() - QUIET_PERIOD,
    ).values_list("person_id", "kind", "subject_type_id", "subject_id")
    return set(rows) & {quiet_key(n) for n in held}


def unsent(ids=None):
    """Notices to email at once that are not emailed yet, to people who can get email."""
    rows = Notice.objects.filter(
        emailed_at__isnull=True,
        delivery=Delivery.IMMEDIATELY,
        person__is_active=True,
    ).exclude(person__email="")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.select_related("person", "organisation")


def deliver_now(notice_ids: list[int]) -> int:
    """Email these notices, each once and in its own transaction, over one SMTP session, with
    one lookup of their subjects per kind. Returns how many were sent now."""
    notices = list(unsent(notice_ids).order_by("pk"))
    subjects = _subjects(notices)
    lately = emailed_lately(notices)
    sent = 0
    with get_connection() as connection:
        for notice in notices:
            subject = subjects.get((notice.kind, notice.subject_id))
            if subject is None:
                # The subject is gone (deleted by an administrator): nothing to tell.
                Notice.objects.filter(pk=notice.pk).update(delivery=Delivery.OFF)
                continue
            if quiet_key(notice) in lately:
                Notice.objects.filter(pk=notice.pk).update(delivery=Delivery.DIGEST)
                continue
            if _send(notice, subject, connection):
                sent += 1
                if not KINDS[notice.kind].required:
                    # A second notice of the chunk about the same subject waits.
                    lately.add(quiet_key(notice))
    return sent


def _subjects(notices: list[Notice]) -> dict[tuple[str, str], object]:
    ids_by_kind: dict[str, set[str]] = {}
    for notice in notices:
        ids_by_kind.setdefault(notice.kind, set()).add(notice.subject_id)
    found = {}
    for kind, ids in ids_by_kind.items():
        for pk, subject in writer_of(kind).load(ids).items():
            found[(kind, pk)] = subject
    return found


def _send(notice: Notice, subject, connection) -> bool:
    message = email_of(notice, subject)
    message.connection = connection

    def mark_emailed() -> None:
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())

    return sending.send_once(
        message,
        key=f"notice:{notice.key}"[:200],
        kind=notice.kind,
        person=notice.person,
        language=notice.language,
        on_claim=mark_emailed,
    )


def pending_ids(limit: int = SWEEP_LIMIT) -> list[int]:
    cutoff = timezone.now() - SWEEP_AFTER
    return list(
        unsent()
        .filter(created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# --- the tasks --------------------------------------------------------------------------


@shared_task(name="notifications.deliver", acks_late=True, **RETRY)
def deliver(notice_ids: list[int]) -> int:
    """Email a chunk of notices (as enqueued by notify); each once."""
    return deliver_now(notice_ids)


def enqueue_delivery(notice_ids: list[int]) -> None:
    """Email these notices after the commit (at once outside a transaction), in chunks. A
    broker that is down loses nothing: the sweep (deliver_pending, every few minutes) sends
    what is still unsent."""
    if not notice_ids:
        return

    def publish() -> None:
        for start in range(0, len(notice_ids), CHUNK):
            send(
                deliver,
                notice_ids[start : start + CHUNK],
                otherwise="the notification sweep will send them",
            )

    transaction.on_commit(publish, robust=True)


@shared_task(name="notifications.deliver_pending", acks_late=True, **RETRY)
def deliver_pending(limit: int = SWEEP_LIMIT) -> int:
    """The sweep (every few minutes in the beat schedule): notices whose task the broker
    lost, or whose email failed."""
    ids = pending_ids(limit)
    enqueue_delivery(ids)
    return len(ids)
