"""Every email the product writes is composed here: in the recipient's language, with a plain
text and an HTML part from one template pair, from the organisation that speaks (its name
before the product's address), addressed by the person's name. Sending once is
workers.mail.send_once; the occasions (reminders, pulses, schedules, invitations) only say
what to write and to whom."""

from collections.abc import Callable
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def person_name(person) -> str:
    return person.get_full_name() or person.get_username()


def product_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL, whatever name it is written with."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address or settings.DEFAULT_FROM_EMAIL


def from_address(sender_name: str | None = None) -> str:
    """The product's address, under the name of the organisation that speaks, if any."""
    if sender_name is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((sender_name, product_address()))


def compose(
    *,
    person,
    language: str,
    template: str,
    context: dict,
    subject: str | Callable[[], str] | None = None,
    sender_name: str | None = None,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """`template` names the pair `{template}.txt` and `{template}.html`; the subject is
    `{template}_subject.txt` unless given (a text, or a function called in the recipient's
    language, for subjects built from dates and names). The templates get `person_name`,
    `language` and `subject` besides the context."""
    name = person_name(person)
    with translation.override(language):
        full_context = {**context, "person_name": name, "language": language}
        if subject is None:
            subject_text = render_to_string(f"{template}_subject.txt", full_context)
        else:
            subject_text = str(subject() if callable(subject) else subject)
        subject_text = " ".join(subject_text.split())
        full_context["subject"] = subject_text
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    message = EmailMultiAlternatives(
        subject=subject_text,
        body=text,
        from_email=from_address(sender_name),
        to=[formataddr((name, person.email))],
        headers={"Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message
