"""The periodic schedule of the background work, written to django-celery-beat's tables
(where the admin can change it). Safe to run at every deploy: a task that is already there
is left as the admin has it, unless --reset puts it back to the defaults here."""

from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

# name → what runs and when. The names are what the admin shows.
PERIODIC_TASKS = {
    "Relay unrelayed events": {
        "task": "workers.relay_tasks.relay_pending",
        "every_minutes": 1,
        # A sweep not started within its minute is superseded by the next one.
        "expire_seconds": 55,
        "description": "Relays Events whose publishing at commit was missed (broker down, "
        "worker lost, a handler that failed). Every minute.",
    },
    "Send unsent notifications": {
        "task": "notifications.deliver_pending",
        "every_minutes": 5,
        "expire_seconds": 290,
        "description": "Notification emails whose task the broker lost, or whose sending "
        "failed; each is sent once. Every five minutes.",
    },
    "Send daily digests": {
        "task": "notifications.send_due_digests",
        "every_minutes": 15,
        "expire_seconds": 890,
        "description": "Each person's daily digest of notifications, at the time they chose "
        "in their time zone; one a day each. Every fifteen minutes.",
    },
    "Send due reminders": {
        "task": "workers.reminder_tasks.send_due_reminders",
        "crontab": {"minute": "0", "hour": "7", "timezone": "Europe/Stockholm"},
        "expire_seconds": 6 * 3600,
        "description": "Action items, obligations, milestones and consultations coming due "
        "or overdue; each reminder is sent once. Daily at 07:00 Stockholm time.",
    },
    "Send due trust pulses": {
        "task": "workers.pulse_tasks.send_due_pulses",
        "crontab": {"minute": "5", "hour": "7-18", "timezone": "Europe/Stockholm"},
        "expire_seconds": 3300,
        "description": "Trust pulses whose day has come (the day after a meeting or a "
        "consultation's close), and any the broker lost. Hourly in the working day.",
    },
}


def interval_every(minutes: int) -> IntervalSchedule:
    # No unique constraint on the table: take any matching row rather than get_or_create,
    # which would fail on duplicates made in the admin.
    schedule = IntervalSchedule.objects.filter(
        every=minutes, period=IntervalSchedule.MINUTES
    ).first()
    return schedule or IntervalSchedule.objects.create(
        every=minutes, period=IntervalSchedule.MINUTES
    )


def crontab(*, minute: str, hour: str, timezone: str) -> CrontabSchedule:
    fields = {
        "minute": minute,
        "hour": hour,
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": ZoneInfo(timezone),
    }
    schedule = CrontabSchedule.objects.filter(**fields).first()
    return schedule or CrontabSchedule.objects.create(**fields)


def defaults_for(spec: dict) -> dict:
    values = {
        "task": spec["task"],
        "interval": None,
        "crontab": None,
        "expire_seconds": spec["expire_seconds"],
        "description": spec["description"],
        "enabled": True,
    }
    if "every_minutes" in spec:
        values["interval"] = interval_every(spec["every_minutes"])
    else:
        values["crontab"] = crontab(**spec["crontab"])
    return values


class Command(BaseCommand):
    help = "Create the periodic tasks of the background work (relay sweep, daily reminders)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put tasks that exist back to the defaults (their schedule edited in the "
            "admin is overwritten).",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        for name, spec in PERIODIC_TASKS.items():
            existing = PeriodicTask.objects.filter(name=name).first()
            if existing is None:
                PeriodicTask.objects.create(name=name, **defaults_for(spec))
                self.stdout.write(f"Created: {name} ({spec['task']})")
            elif reset:
                for field, value in defaults_for(spec).items():
                    setattr(existing, field, value)
                existing.save()
                self.stdout.write(f"Reset: {name} ({spec['task']})")
            else:
                self.stdout.write(f"Kept as it is: {name}")
