"""The daily reminders job. Beat schedules `send_due_reminders` once a day (the schedule row
is made by the `setup_periodic_tasks` command); it starts one task per kind of reminder, so
that a kind that fails (the mail server refusing, say) is retried alone and does not hold up
the others. Every kind is safe to run twice: each email has its Notification key."""

import datetime

from celery import shared_task
from django.utils import timezone

from workers.reminders import REMINDERS


@shared_task
def send_due_reminders(today: str | None = None) -> list[str]:
    """Run every kind of reminder for today (or the ISO date given)."""
    day = today or timezone.localdate().isoformat()
    for kind in REMINDERS:
        send_reminders.delay(kind, day)
    return list(REMINDERS)


# OSError covers a mail server that is down or refuses (smtplib.SMTPException is one): the
# Notification row of the email that failed was rolled back, so the retry sends it then.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def send_reminders(kind: str, today: str) -> int:
    """One kind of reminder for one day; returns how many emails were sent (or milestones
    marked missed)."""
    return REMINDERS[kind](today=datetime.date.fromisoformat(today))
