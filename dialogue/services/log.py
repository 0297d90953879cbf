"""One-request logging of a held meeting."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import snapshot
from dialogue.models import (
    AgendaItem,
    Decision,
    Meeting,
)
from dialogue.services.error_paths import nested
from dialogue.services.meetings import (
    apply_held,
    apply_new_meeting,
    lock_meeting,
    record_meeting_event,
)
from dialogue.services.record import (
    apply_action_item,
    apply_agenda_changes,
    apply_agenda_item,
    apply_attendance,
    apply_minutes,
)


def _meeting_record(meeting: Meeting) -> dict:
    agenda = list(
        meeting.agenda_items.order_by("position").values(
            "id", "position", "kind", "planned_minutes", "actual_minutes"
        )
    )
    return snapshot(
        meeting,
        extra={
            "agenda": agenda,
            "decisions": Decision.objects.filter(agenda_item__meeting=meeting).count(),
            "actions": meeting.action_items.count(),
            "attendance_revisions": meeting.attendance.count(),
            "minutes_revisions": meeting.minutes.count(),
        },
    )


def _open_meeting(*, actor, acting_for: Organisation, meeting, new_meeting):
    """The meeting being logged (locked, or created from `new_meeting`), its state before,
    and the verb of the one Event."""
    if meeting is None:
        policies.require_acting_as_purchaser_staff(actor, acting_for)
        try:
            meeting = apply_new_meeting(acting_for=acting_for, **(new_meeting or {}))
        except RuleViolation as exc:
            raise nested(exc, "meeting") from None
        return meeting, None, "meeting.created_and_logged"
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    return meeting, _meeting_record(meeting), "meeting.logged"


def _log_agenda(meeting: Meeting, agenda: Sequence[dict]) -> list[AgendaItem]:
    """Add or update each agenda entry with its decisions; the items in the request's order."""
    items: list[AgendaItem] = []
    for index, entry in enumerate(agenda):
        entry = dict(entry)
        decisions = entry.pop("decisions", [])
        item_id = entry.pop("id", None)
        try:
            if item_id is None:
                item = apply_agenda_item(meeting, **entry)
            else:
                item = meeting.agenda_items.filter(pk=item_id).first()
                if item is None:
                    raise RuleViolation(
                        _("Agenda item %(id)s is not on this meeting's agenda.") % {"id": item_id},
                        fields={"id": [_("Not on this meeting's agenda.")]},
                    )
                item.meeting = meeting
                apply_agenda_changes(item, entry)
        except RuleViolation as exc:
            raise nested(exc, "agenda", index) from None
        Decision.objects.bulk_create(Decision(agenda_item=item, text=text) for text in decisions)
        items.append(item)
    return items


def _log_actions(
    meeting: Meeting, actions: Sequence[dict], items: list[AgendaItem], *, actor
) -> None:
    """Create each action; `agenda_index` points into the request's agenda entries."""
    for index, entry in enumerate(actions):
        entry = dict(entry)
        agenda_index = entry.pop("agenda_index", None)
        try:
            if agenda_index is not None:
                if agenda_index >= len(items):
                    raise RuleViolation(
                        _(
                            "Agenda entry %(index)s (counted from 0) is past the %(count)s "
                            "agenda entries."
                        )
                        % {"index": agenda_index, "count": len(items)},
                        fields={"agenda_index": [_("No such agenda entry in this request.")]},
                    )
                entry["agenda_item"] = items[agenda_index]
            apply_action_item(meeting, assigned_by=actor, **entry)
        except RuleViolation as exc:
            raise nested(exc, "actions", index) from None


@transaction.atomic
def log_meeting(
    *,
    actor,
    acting_for: Organisation,
    meeting: Meeting | None = None,
    new_meeting: dict | None = None,
    attendance: Sequence[dict] = (),
    agenda: Sequence[dict] = (),
    actions: Sequence[dict] = (),
    minutes: str = "",
) -> Meeting:
    """Log a held meeting in one go, the way officers work after a meeting: attendance,
    agenda with actual minutes and decisions, actions and minutes. Either for a planned
    meeting (`meeting`) or creating it (`new_meeting`, the fields of create_meeting). All of
    it is saved, or nothing: any refusal rolls the whole transaction back, and names the
    path of the first problem (e.g. actions[2].owner_person).

    Agenda entries with an `id` update that item of the planned agenda (typically its
    actual minutes); entries without one are added after the existing items. An action's
    `agenda_index` points into this request's `agenda` list."""
    meeting, before, verb = _open_meeting(
        actor=actor, acting_for=acting_for, meeting=meeting, new_meeting=new_meeting
    )
    apply_held(meeting)
    items = _log_agenda(meeting, agenda)
    if attendance:
        apply_attendance(meeting, attendance, actor=actor, path="attendance")
    _log_actions(meeting, actions, items, actor=actor)
    if minutes.strip():
        try:
            apply_minutes(meeting, minutes, actor=actor)
        except RuleViolation as exc:
            raise nested(exc, "minutes") from None

    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        before=before,
        after=_meeting_record(meeting),
    )
    return meeting
