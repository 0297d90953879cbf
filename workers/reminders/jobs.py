"""The daily reminders job. Beat schedules `send_due_reminders` once a day (the schedule row
is made by the `setup_periodic_tasks` command); it starts one task per kind of reminder, so
that a kind that fails (the mail server refusing, say) is retried alone and does not hold up
the others. Every kind is safe to run twice: each email has its Notification key."""

import datetime

from celery import shared_task
from django.utils import timezone

from workers.reminders.deadlines import (
    mark_missed_milestones,
    send_action_due_reminders,
    send_action_overdue_reminders,
    send_milestone_due_reminders,
    send_obligation_due_reminders,
)
from workers.reminders.silences import (
    send_consultation_closing_reminders,
    send_relationship_silence_alerts,
    send_unanswered_comment_reminders,
)

# Every kind the daily job runs, by name (the task takes the name).
REMINDERS = {
    "action_due": send_action_due_reminders,
    "action_overdue": send_action_overdue_reminders,
    "obligation_due": send_obligation_due_reminders,
    "milestone_due": send_milestone_due_reminders,
    "milestone_missed": mark_missed_milestones,
    "consultation_closing": send_consultation_closing_reminders,
    "comments_unanswered": send_unanswered_comment_reminders,
    "relationship_silent": send_relationship_silence_alerts,
}


@shared_task(name="workers.reminder_tasks.send_due_reminders")
def send_due_reminders(today: str | None = None) -> list[str]:
    """Run every kind of reminder for today (or the ISO date given)."""
    day = today or timezone.localdate().isoformat()
    for kind in REMINDERS:
        send_reminders.delay(kind, day)
    return list(REMINDERS)


# OSError covers a mail server that is down or refuses (smtplib.SMTPException is one): the
# Notification row of the email that failed was rolled back, so the retry sends it then.
@shared_task(
    name="workers.reminder_tasks.send_reminders",
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_reminders(kind: str, today: str) -> int:
    """One kind of reminder for one day; returns how many emails were sent (or milestones
    marked missed)."""
    return REMINDERS[kind](today=datetime.date.fromisoformat(today))
