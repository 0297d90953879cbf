"""10,000 trust pulse invitations relayed and sent, exactly once, by one worker process.

A held meeting of one purchaser has 100 provider organisations recorded present, each with
100 provider representatives: 10,000 people. The benchmark records the attendance Event and
relays it through the real relay (workers.relay.relay_event_now): the pulse handler makes the
pulses and the send tasks run in this one process (Celery's in-process mode, the embedded
default), each email through Django's locmem backend. Then it relays again and runs the
sweep, which must send nothing more.

    uv run python bench/pulse_invitations.py [--organisations 100] [--people 100]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite.
"""

import datetime
import secrets
import sys
import time
from typing import Annotated

import harness
from harness import Row

TARGET_SECONDS = 60.0
# One process: the tasks run in-process; the emails land in django.core.mail.outbox.
DJANGO_ENV: dict[str, str | None] = {
    "CELERY_BROKER_URL": None,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _prepare(organisations: int, people: int):
    """A held meeting three days ago, its organisations present without names, and their
    representatives (bulk-created: no password hashing to measure)."""
    from django.utils import timezone

    from commissioning.models import Organisation
    from dialogue.models import (
        Arena,
        AttendanceEntry,
        AttendanceRevision,
        Invitation,
        Meeting,
    )

    harness.migrate()
    stamp = str(int(time.time() * 1000))
    purchaser = Organisation.objects.create(
        name=f"Bench region {stamp}", kind=Organisation.Kind.PURCHASER, country="SE"
    )
    arena = Arena.objects.create(
        purchaser=purchaser, name="Vårdgivarråd", kind=Arena.Kind.PROVIDER_COUNCIL
    )
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        purchaser=purchaser,
        arena=arena,
        title="Vårdgivarrådet, bench",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    providers, _persons = harness.providers_with_representatives(organisations, people, stamp)
    Invitation.objects.bulk_create(Invitation(meeting=meeting, organisation=o) for o in providers)
    revision = AttendanceRevision.objects.create(meeting=meeting, number=1)
    AttendanceEntry.objects.bulk_create(
        AttendanceEntry(revision=revision, organisation=o, status="present") for o in providers
    )
    return meeting, revision


def _record(verb, subject):
    from django.contrib.contenttypes.models import ContentType

    from commissioning.models import Event

    return Event.objects.create(
        verb=verb,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        purchaser_id=getattr(subject, "purchaser_id", None),
    )


def _emails_alone(meeting) -> float:
    """The floor: the same invitations rendered (plain text + HTML) and sent through the same
    email backend over one connection, with no relay, no claim and no row written."""
    from django.core import mail

    from workers.models import TrustPulse
    from workers.pulses import pulse_email

    began = time.perf_counter()
    pulses = TrustPulse.objects.filter(occasion_id=str(meeting.pk)).select_related(
        "person", "purchaser", "occasion_type"
    )
    with mail.get_connection() as email_connection:
        for pulse in pulses:
            message = pulse_email(pulse, secrets.token_urlsafe(32), meeting)
            message.connection = email_connection
            message.send()
    return time.perf_counter() - began


def measure(
    *, organisations: int = 100, people: Annotated[int, "per organisation"] = 100
) -> list[Row]:
    """The invitations of one held meeting relayed and sent in this process, then the
    re-runs that must send nothing; Django must be set up with DJANGO_ENV."""
    from django.core import mail
    from django.db import connection
    from django.db.models.signals import post_save

    from commissioning.models import Event
    from workers import pulses as pulse_jobs
    from workers import relay
    from workers.apps import publish_on_commit
    from workers.models import Notification, TrustPulse
    from workers.pulses import notification_key

    expected = organisations * people
    meeting, revision = _prepare(organisations, people)
    # The benchmark relays by hand, to time it: Events are not published at commit (until
    # the end, so that a benchmark run after this one in the same process is unchanged).
    post_save.disconnect(sender=Event, dispatch_uid="workers.relay.publish_on_commit")
    try:
        mail.outbox = []
        event = _record("meeting.attendance_recorded", revision)

        began = time.perf_counter()
        outcome = relay.relay_event_now(event.pk)
        seconds = time.perf_counter() - began

        # Exactly once: the same event again, another event of the meeting, and the sweep.
        relay.relay_event_now(event.pk)
        relay.relay_event_now(_record("meeting.minutes_approved", meeting).pk)
        swept = pulse_jobs.send_due_pulses()
    finally:
        post_save.connect(
            publish_on_commit, sender=Event, dispatch_uid="workers.relay.publish_on_commit"
        )
    pulse_ids = list(
        TrustPulse.objects.filter(occasion_id=str(meeting.pk)).values_list("pk", flat=True)
    )
    pulses = len(pulse_ids)
    # Only this meeting's: another benchmark run first in the same process may have sent
    # pulses of its own meetings.
    notifications = Notification.objects.filter(
        kind="trust_pulse", key__in=[notification_key(pk) for pk in pulse_ids]
    ).count()
    emails = len(mail.outbox)
    recipients = len({m.to[0] for m in mail.outbox})
    mail.outbox = []
    alone = _emails_alone(meeting)
    mail.outbox = []
    connection.close()
    rate = emails / seconds if seconds else 0.0
    rate_alone = expected / alone if alone else 0.0
    once = pulses == notifications == emails == recipients == expected and swept == 0
    rerun_sent = emails - notifications + swept
    count = str(expected)
    return [
        Row(
            f"pulses: seconds for {expected} invitations, one process (floor: emails alone)",
            f"{seconds:.2f}",
            f"{alone:.2f}",
            f"<= {TARGET_SECONDS:.0f}",
            seconds <= TARGET_SECONDS,
        ),
        Row(
            "pulses: invitations/s",
            f"{rate:.0f}",
            f"{rate_alone:.0f}",
            f">= {expected / TARGET_SECONDS:.0f}",
            rate >= expected / TARGET_SECONDS,
        ),
        Row("pulses: pulses made", str(pulses), "", count, pulses == expected),
        Row("pulses: Notification rows", str(notifications), "", count, notifications == expected),
        Row("pulses: emails sent", str(emails), "", count, emails == expected),
        Row("pulses: distinct recipients", str(recipients), "", count, recipients == expected),
        Row("pulses: sent by the re-runs", str(rerun_sent), "", "0", rerun_sent == 0),
        Row("pulses: sent exactly once", "yes" if once else "no", "", "yes", once),
        Row(
            "pulses: relay outcome",
            "ran" if outcome["ran"] else "nothing ran",
            "",
            "ran",
            bool(outcome["ran"]),
        ),
    ]


def main() -> int:
    return harness.run_alone(
        __doc__,
        "pulse invitations: relayed and sent by one process (in-process tasks, locmem email)",
        measure,
        **DJANGO_ENV,
    )


if __name__ == "__main__":
    sys.exit(main())
