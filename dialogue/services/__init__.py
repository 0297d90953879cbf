"""Every write to arenas, meetings, their agendas, attendance, minutes, decisions and actions.

Each public service checks permission through commissioning.policies, changes the rows and
records exactly one Event (purchaser = the meeting's purchaser), in one transaction. The
`_apply_*` helpers change rows without checking or recording, so that `log_meeting` can do
the work of many services in one transaction with one Event.

A meeting moves

    planned -> held -> minutes_approved
    planned -> cancelled (with a reason)

`MEETING_LIFECYCLE` is the one table of legal moves. Every change a calendar must learn
about (time, place, invitees, title, agenda, status) goes through `_bump_sequence`, the one
place that increments the iCalendar SEQUENCE. Attendance of a held meeting and approved
minutes are never overwritten (DESIGN.md): a correction is a new revision with a reason.

Where things are: `arenas`, `meetings` (planning and status), `record` (attendance, minutes,
agenda, decisions, actions), `log` (one-request logging), `common` (transitions, checks,
SEQUENCE, error paths). Import the services from here.
"""

from dialogue.services.arenas import create_arena, update_arena
from dialogue.services.common import (
    ACTION_LIFECYCLE,
    MEETING_LIFECYCLE,
    nested,
)
from dialogue.services.log import log_meeting
from dialogue.services.meetings import (
    approve_minutes,
    cancel_meeting,
    create_meeting,
    mark_meeting_held,
    update_meeting,
)
from dialogue.services.record import (
    add_agenda_item,
    complete_action_item,
    create_action_item,
    drop_action_item,
    record_attendance,
    record_decision,
    remove_agenda_item,
    update_agenda_item,
    write_minutes,
)

__all__ = [
    "ACTION_LIFECYCLE",
    "MEETING_LIFECYCLE",
    "add_agenda_item",
    "approve_minutes",
    "cancel_meeting",
    "complete_action_item",
    "create_action_item",
    "create_arena",
    "create_meeting",
    "drop_action_item",
    "log_meeting",
    "mark_meeting_held",
    "nested",
    "record_attendance",
    "record_decision",
    "remove_agenda_item",
    "update_agenda_item",
    "update_arena",
    "update_meeting",
    "write_minutes",
]
