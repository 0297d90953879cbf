"""Planning a meeting with its agenda in one go, as the plan page sends it: the meeting, its
invitations and its typed agenda are saved together, or nothing is."""

from collections.abc import Sequence

from django.db import transaction

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation
from dialogue.models import Meeting
from dialogue.services.error_paths import nested
from dialogue.services.meetings import apply_new_meeting, meeting_state, record_meeting_event
from dialogue.services.record import apply_agenda_item


@transaction.atomic
def plan_meeting(
    *, actor, acting_for: Organisation, agenda: Sequence[dict] = (), **fields
) -> Meeting:
    """create_meeting with an agenda: one "meeting.created" Event (the one create_meeting
    records, so the invitations are sent alike), written once the agenda is in place.
    A refused agenda entry names its path (agenda[1].planned_minutes)."""
    policies.require_acting_as_purchaser_staff(actor, acting_for)
    meeting = apply_new_meeting(acting_for=acting_for, **fields)
    for index, entry in enumerate(agenda):
        try:
            apply_agenda_item(meeting, **entry)
        except RuleViolation as exc:
            raise nested(exc, "agenda", index) from None
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.created",
        after=meeting_state(meeting),
    )
    return meeting
