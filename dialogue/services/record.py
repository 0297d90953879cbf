"""The record of a meeting: attendance, minutes, agenda items, decisions and actions.

Attendance of a held meeting and approved minutes are never overwritten (DESIGN.md): a
correction is a new revision with a reason."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import snapshot
from dialogue.models import (
    ActionItem,
    AgendaItem,
    AttendanceEntry,
    AttendanceRevision,
    Decision,
    Meeting,
    MinutesRevision,
)
from dialogue.services.error_paths import nested
from dialogue.services.meeting_checks import (
    ACTION_LIFECYCLE,
    Status,
    known_organisations,
    require_held,
    require_known,
    require_member,
    require_not_closed,
    require_reason,
)
from dialogue.services.meetings import bump_sequence, lock_meeting, record_meeting_event


def _attendance_state(revision: AttendanceRevision) -> dict:
    entries = sorted(
        [o, p or 0, s]
        for o, p, s in revision.entries.values_list("organisation", "person", "status")
    )
    return snapshot(revision, extra={"entries": entries})


def apply_attendance(
    meeting: Meeting, entries: Sequence[dict], *, actor, reason: str = "", path: str = "entries"
) -> AttendanceRevision:
    """A new attendance revision. The first needs no reason; any later one is a correction
    of a held meeting's attendance, which is never overwritten and so needs one."""
    require_held(meeting, _("Recording attendance"))
    latest = meeting.attendance.aggregate(n=Max("number"))["n"] or 0
    reason = (reason or "").strip()
    if latest and not reason:
        raise Conflict(
            _(
                "The attendance of this held meeting is already recorded and is never "
                "overwritten. To correct it, send the whole attendance again with a reason."
            ),
            code="attendance_recorded",
            fields={"reason": [_("Required for a correction.")]},
        )
    allowed = set(meeting.invitations.values_list("organisation_id", flat=True))
    allowed.add(meeting.purchaser_id)
    known = Organisation.objects.in_bulk([e["organisation"] for e in entries])
    seen = set()
    for index, entry in enumerate(entries):
        key = (entry["organisation"], entry.get("person"))
        try:
            require_known(known, key[0], "organisation")
            if key[0] not in allowed:
                raise RuleViolation(
                    _("Organisation %(id)s was not invited to this meeting; invite it first.")
                    % {"id": key[0]},
                    fields={"organisation": [_("Not invited.")]},
                )
            require_member(key[1], key[0], "person")
            if key in seen:
                raise RuleViolation(
                    _("This person or organisation is listed twice."),
                    fields={"organisation": [_("Twice.")]},
                )
        except RuleViolation as exc:
            raise nested(exc, path, index) from None
        seen.add(key)
    revision = AttendanceRevision.objects.create(
        meeting=meeting, number=latest + 1, reason=reason, recorded_by=actor
    )
    AttendanceEntry.objects.bulk_create(
        AttendanceEntry(
            revision=revision,
            organisation_id=e["organisation"],
            person_id=e.get("person"),
            status=e["status"],
        )
        for e in entries
    )
    return revision


@transaction.atomic
def record_attendance(
    *, actor, acting_for: Organisation, meeting: Meeting, entries: Sequence[dict], reason: str = ""
) -> AttendanceRevision:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    revision = apply_attendance(meeting, entries, actor=actor, reason=reason)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.attendance_corrected"
        if revision.number > 1
        else "meeting.attendance_recorded",
        subject=revision,
        after=_attendance_state(revision),
    )
    return revision


def apply_minutes(meeting: Meeting, text: str, *, actor, reason: str = "") -> MinutesRevision:
    """A new minutes revision; earlier ones stay. After approval a reason is required: the
    approved text is never overwritten, and the correction says why it differs."""
    require_held(meeting, _("Writing minutes"))
    reason = (reason or "").strip()
    if meeting.status == Status.MINUTES_APPROVED and not reason:
        raise Conflict(
            _(
                "The minutes of this meeting are approved and are never overwritten. To "
                "correct them, send the corrected text with a reason."
            ),
            code="minutes_approved",
            fields={"reason": [_("Required for a correction.")]},
        )
    if not (text or "").strip():
        raise RuleViolation(_("The minutes are empty."), fields={"text": [_("Required.")]})
    latest = meeting.minutes.aggregate(n=Max("number"))["n"] or 0
    return MinutesRevision.objects.create(
        meeting=meeting, number=latest + 1, text=text, reason=reason, written_by=actor
    )


@transaction.atomic
def write_minutes(
    *, actor, acting_for: Organisation, meeting: Meeting, text: str, reason: str = ""
) -> MinutesRevision:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    revision = apply_minutes(meeting, text, actor=actor, reason=reason)
    corrected = meeting.status == Status.MINUTES_APPROVED
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.minutes_corrected" if corrected else "meeting.minutes_written",
        subject=revision,
        after=snapshot(revision),
    )
    return revision


# --- agenda items and decisions -----------------------------------------------------------

AGENDA_FIELDS = {"title", "kind", "planned_minutes", "actual_minutes", "presenter", "position"}


def _require_agenda_open(meeting: Meeting) -> None:
    require_not_closed(meeting, _("changing the agenda"))
    if meeting.status == Status.MINUTES_APPROVED:
        raise Conflict(
            _("The minutes are approved, so the agenda is part of the record and stays as it is."),
            code="minutes_approved",
            details={"status": meeting.status},
        )


def _check_minutes(planned: int | None, actual: int | None) -> None:
    if planned is not None and planned <= 0:
        raise RuleViolation(
            _("Planned minutes must be more than 0: zero-length items are refused."),
            fields={"planned_minutes": [_("Must be more than 0.")]},
        )
    if actual is not None and actual <= 0:
        raise RuleViolation(
            _("Actual minutes must be more than 0: zero-length items are refused."),
            fields={"actual_minutes": [_("Must be more than 0; leave it out if unknown.")]},
        )


def _check_presenter(presenter: int | None) -> None:
    if presenter is not None:
        known_organisations([presenter], "presenter")


def apply_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    kind: str,
    planned_minutes: int,
    actual_minutes: int | None = None,
    presenter: int | None = None,
    position: int | None = None,
) -> AgendaItem:
    _check_minutes(planned_minutes, actual_minutes)
    _check_presenter(presenter)
    last = meeting.agenda_items.aggregate(n=Max("position"))["n"] or 0
    if position is None:
        position = last + 1
    elif meeting.agenda_items.filter(position=position).exists():
        raise RuleViolation(
            _("Position %(position)s is taken; leave position out to add the item last.")
            % {"position": position},
            fields={"position": [_("Taken.")]},
        )
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title,
        kind=kind,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        presenter_id=presenter,
    )


@transaction.atomic
def add_agenda_item(*, actor, acting_for: Organisation, meeting: Meeting, **fields) -> AgendaItem:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    _require_agenda_open(meeting)
    item = apply_agenda_item(meeting, **fields)
    bump_sequence(meeting)
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb="agenda_item.created",
            subject=item, after=snapshot(item))  # fmt: skip
    return item


def apply_agenda_changes(item: AgendaItem, changes: dict) -> None:
    _check_minutes(changes.get("planned_minutes"), changes.get("actual_minutes"))
    if "presenter" in changes:
        _check_presenter(changes["presenter"])
        changes["presenter_id"] = changes.pop("presenter")
    position = changes.get("position")
    moved = position is not None and position != item.position
    if moved and item.meeting.agenda_items.filter(position=position).exists():
        raise RuleViolation(
            _("Position %(position)s is taken by another item; move that one first.")
            % {"position": position},
            fields={"position": [_("Taken.")]},
        )
    for name, value in changes.items():
        setattr(item, name, value)
    item.save()


@transaction.atomic
def update_agenda_item(
    *, actor, acting_for: Organisation, item: AgendaItem, **changes
) -> AgendaItem:
    unknown = set(changes) - AGENDA_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    meeting = lock_meeting(item.meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    _require_agenda_open(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.meeting = meeting
    before = snapshot(item)
    apply_agenda_changes(item, changes)
    bump_sequence(meeting)
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb="agenda_item.updated",
            subject=item, before=before, after=snapshot(item))  # fmt: skip
    return item


@transaction.atomic
def remove_agenda_item(*, actor, acting_for: Organisation, item: AgendaItem) -> None:
    meeting = lock_meeting(item.meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    _require_agenda_open(meeting)
    if item.decisions.exists():
        raise Conflict(
            _("Decisions were recorded under this item; it stays on the agenda."),
            code="agenda_item_has_decisions",
        )
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb="agenda_item.deleted",
            subject=item, before=snapshot(item))  # fmt: skip
    item.delete()
    bump_sequence(meeting)


@transaction.atomic
def record_decision(*, actor, acting_for: Organisation, item: AgendaItem, text: str) -> Decision:
    meeting = lock_meeting(item.meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    require_held(meeting, _("Recording a decision"))
    _require_agenda_open(meeting)
    decision = Decision.objects.create(agenda_item=item, text=require_reason(text, "text"))
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb="decision.created",
            subject=decision, after=snapshot(decision))  # fmt: skip
    return decision


# --- action items -------------------------------------------------------------------------


def apply_action_item(
    meeting: Meeting,
    *,
    title: str,
    owner_organisation: int,
    due_date: datetime.date,
    owner_person: int | None = None,
    agenda_item: AgendaItem | int | None = None,
    assigned_by=None,
) -> ActionItem:
    require_not_closed(meeting, _("adding an action"))
    known_organisations([owner_organisation], "owner_organisation")
    owners = set(meeting.invitations.values_list("organisation_id", flat=True))
    owners.add(meeting.purchaser_id)
    if owner_organisation not in owners:
        raise RuleViolation(
            _(
                "Organisation %(id)s was not invited to this meeting; an action is owned by "
                "the purchaser or an invited organisation."
            )
            % {"id": owner_organisation},
            fields={"owner_organisation": [_("Not invited.")]},
        )
    require_member(owner_person, owner_organisation, "owner_person")
    if isinstance(agenda_item, int):
        found = meeting.agenda_items.filter(pk=agenda_item).first()
        if found is None:
            raise RuleViolation(
                _("Agenda item %(id)s is not on this meeting's agenda.") % {"id": agenda_item},
                fields={"agenda_item": [_("Not on this meeting's agenda.")]},
            )
        agenda_item = found
    return ActionItem.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        owner_organisation_id=owner_organisation,
        owner_person_id=owner_person,
        due_date=due_date,
        assigned_by=assigned_by,
    )


@transaction.atomic
def create_action_item(
    *, actor, acting_for: Organisation, meeting: Meeting, **fields
) -> ActionItem:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    action = apply_action_item(meeting, assigned_by=actor, **fields)
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb="action_item.created",
            subject=action, after=snapshot(action))  # fmt: skip
    return action


def _close_action(*, actor, acting_for, action: ActionItem, target: str, reason: str = ""):
    action = (
        ActionItem.objects.select_for_update()
        .select_related("meeting__purchaser")
        .get(pk=action.pk)
    )
    meeting = action.meeting
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    ACTION_LIFECYCLE.require(action.status, target)
    before = snapshot(action)
    if target == ActionItem.Status.DROPPED:
        action.dropped_reason = require_reason(reason)
    action.status = target
    action.closed_at = timezone.now()
    action.save()
    record_meeting_event(meeting, actor=actor, acting_for=acting_for, verb=f"action_item.{target}",
            subject=action, before=before, after=snapshot(action))  # fmt: skip
    return action


@transaction.atomic
def complete_action_item(*, actor, acting_for: Organisation, action: ActionItem) -> ActionItem:
    return _close_action(
        actor=actor, acting_for=acting_for, action=action, target=ActionItem.Status.DONE
    )


@transaction.atomic
def drop_action_item(
    *, actor, acting_for: Organisation, action: ActionItem, reason: str
) -> ActionItem:
    return _close_action(
        actor=actor,
        acting_for=acting_for,
        action=action,
        target=ActionItem.Status.DROPPED,
        reason=reason,
    )
