"""The meeting rules the services check: the tables of legal moves of meetings and actions,
the organisations and people named, times, place, reasons, and what a cancelled or not yet
held meeting refuses."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Membership, Organisation
from commissioning.transitions import Lifecycle
from dialogue.models import ActionItem, Meeting

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


def require_transition(meeting: Meeting, target: str) -> None:
    MEETING_LIFECYCLE.require(meeting.status, target)


def known_organisations(ids: Iterable[int], field: str) -> dict[int, Organisation]:
    ids = list(dict.fromkeys(ids))
    found = Organisation.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise RuleViolation(
            _("No organisation has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            fields={field: [_("Unknown organisation.")]},
        )
    return found


def require_known(known: dict, organisation_id: int, field: str) -> None:
    if organisation_id not in known:
        raise RuleViolation(
            _("No organisation has the id %(id)s.") % {"id": organisation_id},
            fields={field: [_("Unknown organisation.")]},
        )


def require_member(person_id: int | None, organisation_id: int, field: str) -> None:
    if person_id is None:
        return
    if not Membership.objects.filter(person_id=person_id, organisation_id=organisation_id).exists():
        raise RuleViolation(
            _("Person %(person)s is not a member of organisation %(organisation)s.")
            % {"person": person_id, "organisation": organisation_id},
            fields={field: [_("Choose a person of that organisation.")]},
        )


def check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if timezone.is_naive(value):
            raise RuleViolation(
                _("%(field)s has no time zone; give it with an offset, e.g. +01:00 or Z.")
                % {"field": name},
                fields={name: [_("Give the time with its UTC offset.")]},
            )
    if ends_at <= starts_at:
        raise RuleViolation(
            _("The meeting must end after it starts; check the end time."),
            fields={"ends_at": [_("Must be later than the start.")]},
        )


def check_place(place: str, video_link: str) -> None:
    if not (place or "").strip() and not (video_link or "").strip():
        raise RuleViolation(
            _("Say where the meeting is: give a place, a video link, or both."),
            fields={"place": [_("Give a place or a video link.")]},
        )


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _("Give a reason; it is kept with the record."),
            fields={field: [_("Required.")]},
        )
    return reason


def require_not_closed(meeting: Meeting, doing) -> None:
    if meeting.status == Status.CANCELLED:
        raise Conflict(
            _("The meeting was cancelled; %(doing)s is no longer possible.") % {"doing": doing},
            code="meeting_cancelled",
            details={"status": meeting.status},
        )


def require_held(meeting: Meeting, doing) -> None:
    require_not_closed(meeting, doing)
    if meeting.status not in HELD:
        raise Conflict(
            _("%(doing)s is for a held meeting; mark the meeting held first.") % {"doing": doing},
            code="meeting_not_held",
            details={"status": meeting.status},
        )
