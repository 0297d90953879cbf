"""What the meeting page offers the person: each button is asked of the policy (`allowed`)
and of the meeting's status (dialogue.services.meeting_checks' table of moves); the service
checks both again when the button is pressed."""

from dataclasses import dataclass

from django.utils import timezone

from commissioning import policies
from commissioning.web.acting import allowed
from dialogue.models import Meeting
from dialogue.services.meeting_checks import HELD, MEETING_LIFECYCLE, Status


@dataclass(frozen=True)
class MeetingOffers:
    edit: bool = False
    cancel: bool = False
    hold: bool = False
    approve: bool = False
    attendance: bool = False
    minutes: bool = False
    close_actions: bool = False

    @property
    def any(self) -> bool:
        return self.edit or self.cancel or self.hold or self.approve or self.minutes


def _may_move(meeting: Meeting, target: str) -> bool:
    return target in MEETING_LIFECYCLE.allowed_next(meeting.status)


def meeting_offers(request, meeting: Meeting, *, has_minutes: bool) -> MeetingOffers:
    person, acting_for = request.user, request.acting_for
    if not allowed(policies.require_purchaser_staff, person, acting_for, meeting.purchaser):
        return MeetingOffers()
    planned = meeting.status == Status.PLANNED
    held = meeting.status in HELD
    return MeetingOffers(
        edit=planned,
        cancel=_may_move(meeting, Status.CANCELLED),
        hold=_may_move(meeting, Status.HELD) and meeting.starts_at <= timezone.now(),
        approve=has_minutes
        and _may_move(meeting, Status.MINUTES_APPROVED)
        and allowed(policies.require_purchaser_manager, person, acting_for, meeting.purchaser),
        attendance=held,
        minutes=held,
        close_actions=meeting.status != Status.CANCELLED,
    )
