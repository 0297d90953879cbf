"""10,000 trust pulse invitations relayed and sent, exactly once, by one worker process.

A held meeting of one purchaser has 100 provider organisations recorded present, each with
100 provider representatives: 10,000 people. The benchmark records the attendance Event and
relays it through the real relay (workers.relay.relay_event): the pulse handler makes the
pulses and the send tasks run in this one process (Celery's in-process mode, the embedded
default), each email through Django's locmem backend. Then it relays again and runs the
sweep, which must send nothing more.

    uv run python bench/pulse_invitations.py [--organisations 100] [--people 100]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0


def _database_url() -> tuple[str, bool]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url, False
    from tests import postgresql_server

    url = postgresql_server.start()
    _create_database(url)
    return url, True


def _create_database(url: str) -> None:
    import psycopg

    host = url.split("host=", 1)[1]
    with psycopg.connect(dbname="postgres", user="postgres", host=host, autocommit=True) as conn:
        conn.execute("CREATE DATABASE commissioning")


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    # One process: the tasks run in-process; the emails land in django.core.mail.outbox.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()


def _prepare(organisations: int, people: int):
    """A held meeting three days ago, its organisations present without names, and their
    representatives (bulk-created: no password hashing to measure)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from commissioning.models import Membership, Organisation
    from dialogue.models import (
        Arena,
        AttendanceEntry,
        AttendanceRevision,
        Invitation,
        Meeting,
    )

    call_command("migrate", verbosity=0)
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
    providers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench provider {n} {stamp}",
            kind=Organisation.Kind.PROVIDER,
            ownership=Organisation.Ownership.PRIVATE,
            country=["SE", "NO", "GB"][n % 3],
        )
        for n in range(organisations)
    )
    person = get_user_model()
    persons = person.objects.bulk_create(
        person(username=f"bench-{stamp}-{n}", email=f"bench-{n}@example.org")
        for n in range(organisations * people)
    )
    Membership.objects.bulk_create(
        Membership(
            person=p,
            organisation=providers[i // people],
            role=Membership.Role.PROVIDER_REPRESENTATIVE,
        )
        for i, p in enumerate(persons)
    )
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--people", type=int, default=100, help="per organisation")
    options = parser.parse_args()
    url, started = _database_url()
    try:
        _django(url)
        from django.core import mail
        from django.db import connection
        from django.db.models.signals import post_save

        from commissioning.models import Event
        from workers import pulse_tasks, relay
        from workers.models import Notification, TrustPulse

        expected = options.organisations * options.people
        meeting, revision = _prepare(options.organisations, options.people)
        # The benchmark relays by hand, to time it: Events are not published at commit.
        post_save.disconnect(sender=Event, dispatch_uid="workers.relay.publish_on_commit")
        mail.outbox = []
        event = _record("meeting.attendance_recorded", revision)

        began = time.perf_counter()
        outcome = relay.relay_event(event.pk)
        seconds = time.perf_counter() - began

        # Exactly once: the same event again, another event of the meeting, and the sweep.
        relay.relay_event(event.pk)
        relay.relay_event(_record("meeting.minutes_approved", meeting).pk)
        swept = pulse_tasks.send_due_pulses()
        pulses = TrustPulse.objects.filter(occasion_id=str(meeting.pk)).count()
        notifications = Notification.objects.filter(kind="trust_pulse").count()
        emails = len(mail.outbox)
        recipients = len({m.to[0] for m in mail.outbox})
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        rate = emails / seconds if seconds else 0.0
        once = pulses == notifications == emails == recipients == expected and swept == 0
        print(
            f"\npulse invitations: {expected} people present at one held meeting, relayed "
            f"and sent by one process (in-process tasks, locmem email), PostgreSQL {version}, "
            f"{os.cpu_count()} CPUs\n"
        )
        rows = [
            ("", "measured", "target"),
            ("invitations", str(expected), ""),
            ("seconds", f"{seconds:.2f}", f"<= {TARGET_SECONDS:.0f}"),
            ("invitations/s", f"{rate:.0f}", f">= {expected / TARGET_SECONDS:.0f}"),
            ("pulses", str(pulses), str(expected)),
            ("Notification rows", str(notifications), str(expected)),
            ("emails sent", str(emails), str(expected)),
            ("distinct recipients", str(recipients), str(expected)),
            ("sent by the re-runs", str(emails - notifications + swept), "0"),
            ("sent exactly once", "yes" if once else "no", "yes"),
            ("relay outcome", "ran" if outcome["ran"] else "nothing ran", "ran"),
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        ok = once and seconds <= TARGET_SECONDS
        print(f"\nresult: {'meets' if ok else 'misses'} the target")
        connection.close()
        return 0 if ok else 1
    finally:
        if started:
            from tests import postgresql_server

            postgresql_server.stop()


if __name__ == "__main__":
    sys.exit(main())
