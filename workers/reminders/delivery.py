"""Reminders and alerts: one function per kind finds what is due on a day and emails each
person concerned once (workers.reminders.deadlines, workers.reminders.silences; the daily
job: workers.reminders.jobs). This module: a reminder composed in its reader's language and
sent once, and the links in it.

"Meeting points and notifications get lost" (DESIGN.md, the Norwegian finding): these are the
follow-ups that keep open actions, obligations, milestones, consultations and quiet
relationships in view.

Each email is sent once, keyed by the occasion and the recipient
("action-overdue:17:2026-11-20:42"): workers.mail.send_once.

Every function takes `today` so that a run is about one day; the tasks pass
timezone.localdate(). Recipients without an email address, or inactive, are skipped.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format

from commissioning import mail
from commissioning.languages import language_of
from commissioning.models import Organisation
from workers import mail as sending
from workers.models import Notification


def link(name: str, *, query: str = "", **kwargs) -> str:
    """An absolute link to an object, for the email."""
    path = reverse(name, kwargs=kwargs)
    return f"{settings.SITE_URL}{path}" + (f"?{query}" if query else "")


def send_reminder(
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
        return False  # the common case of a daily run: nothing to compose
    language = language_of(person, organisation)

    def subject_text() -> str:
        # Dates in the subject are written the way the reader's language writes them.
        params = {
            name: date_format(value) if isinstance(value, datetime.date) else value
            for name, value in subject_params.items()
        }
        return str(subject % params)

    message = mail.compose(
        person=person,
        language=language,
        template=f"workers/email/reminder_{template}",
        context={**context, "organisation": organisation},
        subject=subject_text,
        sender_name=sender.name if sender is not None else None,
    )
    return sending.send_once(message, key=key, kind=kind, person=person, language=language)


def days_after(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)
