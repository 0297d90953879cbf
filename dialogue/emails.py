"""The content of meeting invitations by email. Building only: the workers send them through
Django's email backend (a job that takes ids, builds the message here, and sends it once).

The language of an invitation: the programme's language when the meeting belongs to a
programme (an arena has no language of its own); otherwise the language of the purchaser's
country (SE → Swedish, NO → Norwegian Bokmål, GB → English); otherwise
settings.LANGUAGE_CODE. A person has no language of their own in the model yet; when they
do, it should win.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commissioning.errors import RuleViolation
from commissioning.languages import chosen_or_country
from dialogue.calendar import meeting_calendar
from dialogue.models import Meeting


def invitation_language(meeting: Meeting) -> str:
    programme_language = meeting.programme.language if meeting.programme_id else None
    return chosen_or_country(programme_language, meeting.purchaser.country)


def invitation_email(*, meeting: Meeting, person, url: str | None = None) -> EmailMultiAlternatives:
    """An invitation to one person: plain text and HTML in the meeting's language, the
    meeting attached as an iCalendar request (or cancellation), from the purchaser's name."""
    if not person.email:
        raise RuleViolation(
            _("%(name)s has no email address; add one before sending an invitation.")
            % {"name": person.get_full_name() or person.get_username()},
            code="no_email_address",
        )
    language = invitation_language(meeting)
    with translation.override(language):
        context = {
            "meeting": meeting,
            "person_name": person.get_full_name() or person.get_username(),
            "agenda": list(meeting.agenda_items.order_by("position")),
            "url": url,
            "language": language,
        }
        subject = " ".join(
            render_to_string("dialogue/email/invitation_subject.txt", context).split()
        )
        text = render_to_string("dialogue/email/invitation.txt", context)
        html = render_to_string("dialogue/email/invitation.html", context)
        ics = meeting_calendar(meeting, url=url)
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((meeting.purchaser.name, address or settings.DEFAULT_FROM_EMAIL)),
        to=[formataddr((context["person_name"], person.email))],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
    message.attach("invitation.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    return message
