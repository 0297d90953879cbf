"""What the meeting services share: the tables of legal moves, the checks, the one place
that bumps the iCalendar SEQUENCE, and the nesting of errors under a field path."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.errors import Conflict, DomainError, RuleViolation
from commissioning.models import Membership, Organisation
from commissioning.services.events import record_event, snapshot
from commissioning.transitions import Lifecycle
from dialogue.models import (
    ActionItem,
    Invitation,
    Meeting,
)

Status = Meeting.Status

MEETING_LIFECYCLE = Lifecycle(
    Status,
    {
        Status.PLANNED: (Status.HELD, Status.CANCELLED),
        Status.HELD: (Status.MINUTES_APPROVED,),
        Status.MINUTES_APPROVED: (),
        Status.CANCELLED: (),
    },
)

ACTION_LIFECYCLE = Lifecycle(
    ActionItem.Status,
    {
        ActionItem.Status.OPEN: (ActionItem.Status.DONE, ActionItem.Status.DROPPED),
        ActionItem.Status.DONE: (),
        ActionItem.Status.DROPPED: (),
    },
)

HELD = (Status.HELD, Status.MINUTES_APPROVED)


def _require_transition(meeting: Meeting, target: str) -> None:
    MEETING_LIFECYCLE.require(meeting.status, target)


# --- shared checks ------------------------------------------------------------------------


def _organisations(ids: Iterable[int], field: str) -> dict[int, Organisation]:
    ids = list(dict.fromkeys(ids))
    found = Organisation.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise RuleViolation(
            _("No organisation has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            fields={field: [_("Unknown organisation.")]},
        )
    return found


def _require_known(known: dict, organisation_id: int, field: str) -> None:
    if organisation_id not in known:
        raise RuleViolation(
            _("No organisation has the id %(id)s.") % {"id": organisation_id},
            fields={field: [_("Unknown organisation.")]},
        )


def _require_member(person_id: int | None, organisation_id: int, field: str) -> None:
    if person_id is None:
        return
    if not Membership.objects.filter(person_id=person_id, organisation_id=organisation_id).exists():
        raise RuleViolation(
            _("Person %(person)s is not a member of organisation %(organisation)s.")
            % {"person": person_id, "organisation": organisation_id},
            fields={field: [_("Choose a person of that organisation.")]},
        )


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if timezone.is_naive(value):
            raise RuleViolation(
                _("%(field)s has no time zone; give it with an offset, e.g. +01:00 or Z.")
                % {"field": name},
                fields={name: [_("Give the time with its UTC offset.")]},
            )
    if ends_at <= starts_at:
        raise RuleViolation(
            _("The meeting must end after it starts; check ends_at."),
            fields={"ends_at": [_("Must be later than starts_at.")]},
        )


def _check_place(place: str, video_link: str) -> None:
    if not (place or "").strip() and not (video_link or "").strip():
        raise RuleViolation(
            _("Say where the meeting is: give a place, a video link, or both."),
            fields={"place": [_("Give a place or a video link.")]},
        )


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _("Give a reason; it is kept with the record."),
            fields={field: [_("Required.")]},
        )
    return reason


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("purchaser", "arena", "programme")
        .get(pk=meeting.pk)
    )


def _bump_sequence(meeting: Meeting) -> None:
    """The one place that increments the iCalendar SEQUENCE: calendars replace an event only
    when its SEQUENCE grew, so every change invitees must see goes through here."""
    meeting.sequence += 1
    meeting.save()


def _meeting_state(meeting: Meeting) -> dict:
    invitations = sorted(
        [organisation, person or 0]
        for organisation, person in Invitation.objects.filter(meeting=meeting).values_list(
            "organisation_id", "person_id"
        )
    )
    return snapshot(meeting, extra={"invitations": invitations})


def _record(meeting: Meeting, *, actor, acting_for, verb, subject=None, before=None, after=None):
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=subject if subject is not None else meeting,
        before=before,
        after=after,
        purchaser=meeting.purchaser,
    )


def _require_not_closed(meeting: Meeting, doing) -> None:
    if meeting.status == Status.CANCELLED:
        raise Conflict(
            _("The meeting was cancelled; %(doing)s is no longer possible.") % {"doing": doing},
            code="meeting_cancelled",
            details={"status": meeting.status},
        )


def _require_held(meeting: Meeting, doing) -> None:
    _require_not_closed(meeting, doing)
    if meeting.status not in HELD:
        raise Conflict(
            _("%(doing)s is for a held meeting; mark the meeting held first.") % {"doing": doing},
            code="meeting_not_held",
            details={"status": meeting.status},
        )


def _first_path(fields, path: str = "") -> str:
    """The path of the first problem in nested fields: actions[2].due_date."""
    if isinstance(fields, dict):
        for key, value in fields.items():
            found = _first_path(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(fields, list):
        for index, value in enumerate(fields):
            if isinstance(value, dict | list):
                found = _first_path(value, f"{path}[{index}]")
                if found:
                    return found
            elif value:
                return path
    return ""


def nested(exc: DomainError, *path) -> DomainError:
    """The same error with its fields moved under `path` ("actions", 2 -> actions[2].field),
    so that a problem deep in a logged meeting names where it is, in `fields` and in the
    message, the way DRF nests the errors of nested serializers."""
    fields = exc.fields or {"non_field_errors": [exc.message]}
    for part in reversed(path):
        fields = [*([{}] * part), fields] if isinstance(part, int) else {part: fields}
    bare = getattr(exc, "bare_message", exc.message)
    refused = type(exc)(
        f"{_first_path(fields)}: {bare}", fields=fields, code=exc.code, details=exc.details
    )
    refused.bare_message = bare
    return refused
