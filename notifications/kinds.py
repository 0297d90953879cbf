"""The kinds of notification a person can choose about, each with its default delivery. A
kind is what a person turns on or off (on the profile page, in the API, by the unsubscribe
link of its emails); the occasions that notify (notifications.handlers) each write one kind.

Delivery is about email: every notification is also in the person's in-app list, whatever
they chose. A required kind (a cancelled meeting: people would otherwise travel to it) is
always emailed at once and cannot be turned off or put in the digest."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Email at once")
    DIGEST = "digest", _("In my daily digest")
    OFF = "off", _("No email")


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    description: Promise
    default: str = Delivery.IMMEDIATELY
    required: bool = False

    def choices(self) -> list[tuple[str, str]]:
        if self.required:
            return [(Delivery.IMMEDIATELY, Delivery.IMMEDIATELY.label)]
        return list(Delivery.choices)


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            "meeting_invitation",
            _("Meeting invitations and changes"),
            _(
                "A meeting you or your organisation is invited to is planned or changed, with "
                "the calendar entry."
            ),
        ),
        Kind(
            "meeting_cancelled",
            _("Cancelled meetings"),
            _("A meeting you are invited to is cancelled. Always sent at once."),
            required=True,
        ),
        Kind(
            "minutes_approved",
            _("Approved minutes"),
            _("The minutes of a meeting you attended are approved."),
        ),
        Kind(
            "action_assigned",
            _("Actions assigned to you"),
            _("Someone gives you an action from a meeting."),
        ),
        Kind(
            "consultation_opened",
            _("Consultations opened"),
            _("A consultation your organisation is invited to opens for comments."),
        ),
        Kind(
            "responses_published",
            _("Responses published"),
            _(
                "A consultation you commented on or co-signed in closes and its responses are "
                "published."
            ),
        ),
        Kind(
            "cosignature_requested",
            _("Co-signatures requested"),
            _(
                "A network your organisation belongs to asks its members to co-sign a joint "
                "comment."
            ),
        ),
        Kind(
            "comment_receipt",
            _("Receipts for your comments"),
            _(
                "You submit a comment on a consultation: its reference number and a copy of "
                "its text."
            ),
        ),
        Kind(
            "concern",
            _("Concerns"),
            _(
                "A concern between your organisation and another is raised, acknowledged or "
                "resolved."
            ),
            default=Delivery.IMMEDIATELY,
        ),
        Kind(
            "briefing_requested",
            _("Briefing requests"),
            _("A politician who oversees your organisation asks for a briefing on a programme."),
        ),
    ]
}
