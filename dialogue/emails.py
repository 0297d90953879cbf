"""The content of meeting invitations by email, composed by commissioning.mail; a job sends
them once (workers.mail.send_once).

The language of an invitation: the one the invitee chose on their profile; otherwise the
programme's language when the meeting belongs to a programme (an arena has no language of
its own); otherwise the language of the purchaser's country (SE → Swedish, NO → Norwegian
Bokmål, GB → English); otherwise settings.LANGUAGE_CODE.
"""

from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commissioning import mail
from commissioning.errors import RuleViolation
from commissioning.languages import chosen_language, chosen_or_country
from dialogue.calendar import meeting_calendar
from dialogue.models import Meeting


def invitation_language(meeting: Meeting, person=None) -> str:
    chosen = chosen_language(person)
    if chosen is not None:
        return chosen
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
    language = invitation_language(meeting, person)
    message = mail.compose(
        person=person,
        language=language,
        template="dialogue/email/invitation",
        context={
            "meeting": meeting,
            "agenda": list(meeting.agenda_items.order_by("position")),
            "url": url,
        },
        sender_name=meeting.purchaser.name,
    )
    with translation.override(language):
        ics = meeting_calendar(meeting, url=url)
    method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
    message.attach("invitation.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    return message
