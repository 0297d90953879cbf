"""Planning meetings and moving them through their statuses, and the row helpers every meeting
write shares (locking, the iCalendar SEQUENCE, the Event).

Each public service checks permission through commissioning.policies, changes the rows and
records exactly one Event (purchaser = the meeting's purchaser), in one transaction. The
`apply_*` helpers change rows without checking or recording, so that `log.log_meeting` can do
the work of many services in one transaction with one Event.

A meeting moves

    planned -> held -> minutes_approved
    planned -> cancelled (with a reason)

`meeting_checks.MEETING_LIFECYCLE` is the one table of legal moves. Every change a calendar
must learn about (time, place, invitees, title, agenda, status) goes through `bump_sequence`,
the one place that increments the iCalendar SEQUENCE. Attendance of a held meeting and
approved minutes are never overwritten (DESIGN.md): a correction is a new revision with a
reason.

Where things are in dialogue.services: `arenas`, `meetings` (planning and status), `record`
(attendance, minutes, agenda, decisions, actions), `log` (one-request logging),
`meeting_checks` (legal moves and checks), `error_paths` (errors named by field path).
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.services.programmes import check_time_zone
from dialogue.models import (
    Arena,
    Invitation,
    Meeting,
)
from dialogue.services.error_paths import nested
from dialogue.services.meeting_checks import (
    Status,
    check_place,
    check_times,
    require_known,
    require_member,
    require_reason,
    require_transition,
)

MEETING_FIELDS = {
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "video_link",
    "arena",
    "programme",
}


def lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("purchaser", "arena", "programme")
        .get(pk=meeting.pk)
    )


def bump_sequence(meeting: Meeting) -> None:
    """The one place that increments the iCalendar SEQUENCE: calendars replace an event only
    when its SEQUENCE grew, so every change invitees must see goes through here."""
    meeting.sequence += 1
    meeting.save()


def meeting_state(meeting: Meeting) -> dict:
    invitations = sorted(
        [organisation, person or 0]
        for organisation, person in Invitation.objects.filter(meeting=meeting).values_list(
            "organisation_id", "person_id"
        )
    )
    return snapshot(meeting, extra={"invitations": invitations})


def record_meeting_event(
    meeting: Meeting, *, actor, acting_for, verb, subject=None, before=None, after=None
):
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=subject if subject is not None else meeting,
        before=before,
        after=after,
        purchaser=meeting.purchaser,
    )


def _resolve_home(
    acting_for: Organisation, arena_id: int | None, programme_id: int | None
) -> tuple[Arena | None, Programme | None]:
    """The arena and programme a meeting sits in: at least one, each of the purchaser."""
    if arena_id is None and programme_id is None:
        raise RuleViolation(
            _("A meeting belongs to an arena or a programme; give arena or programme."),
            fields={"arena": [_("Give an arena or a programme.")]},
        )
    arena = programme = None
    if arena_id is not None:
        arena = Arena.objects.filter(pk=arena_id, purchaser=acting_for).first()
        if arena is None:
            raise RuleViolation(
                _("Arena %(id)s is not one of %(purchaser)s's arenas.")
                % {"id": arena_id, "purchaser": acting_for.name},
                fields={"arena": [_("Choose an arena of your purchaser.")]},
            )
    if programme_id is not None:
        programme = Programme.objects.filter(pk=programme_id, purchaser=acting_for).first()
        if programme is None:
            raise RuleViolation(
                _("Programme %(id)s is not one of %(purchaser)s's programmes.")
                % {"id": programme_id, "purchaser": acting_for.name},
                fields={"programme": [_("Choose a programme of your purchaser.")]},
            )
    return arena, programme


def _check_invitees(invitees: Sequence[dict]) -> list[tuple[int, int | None]]:
    """Invitees as (organisation id, person id or None); a person must be a member of the
    organisation they are invited for."""
    known = Organisation.objects.in_bulk([i["organisation"] for i in invitees])
    pairs: list[tuple[int, int | None]] = []
    for index, invitee in enumerate(invitees):
        pair = (invitee["organisation"], invitee.get("person"))
        try:
            require_known(known, pair[0], "organisation")
            require_member(pair[1], pair[0], "person")
            if pair in pairs:
                raise RuleViolation(
                    _("This invitee is listed twice."), fields={"organisation": [_("Twice.")]}
                )
        except RuleViolation as exc:
            raise nested(exc, "invitees", index) from None
        pairs.append(pair)
    return pairs


def _set_invitees(meeting: Meeting, pairs: list[tuple[int, int | None]]) -> None:
    wanted = set(pairs)
    present = {
        (o, p): pk
        for pk, o, p in Invitation.objects.filter(meeting=meeting).values_list(
            "pk", "organisation_id", "person_id"
        )
    }
    Invitation.objects.filter(
        pk__in=[pk for key, pk in present.items() if key not in wanted]
    ).delete()
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, organisation_id=o, person_id=p)
        for o, p in pairs
        if (o, p) not in present
    )


def apply_new_meeting(
    *,
    acting_for: Organisation,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    arena: int | None = None,
    programme: int | None = None,
    time_zone: str | None = None,
    place: str = "",
    video_link: str = "",
    invitees: Sequence[dict] = (),
) -> Meeting:
    arena_obj, programme_obj = _resolve_home(acting_for, arena, programme)
    check_times(starts_at, ends_at)
    time_zone = time_zone or (programme_obj.time_zone if programme_obj else "Europe/Stockholm")
    check_time_zone(time_zone)
    check_place(place, video_link)
    pairs = _check_invitees(invitees)
    meeting = Meeting.objects.create(
        purchaser=acting_for,
        arena=arena_obj,
        programme=programme_obj,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place,
        video_link=video_link,
    )
    _set_invitees(meeting, pairs)
    return meeting


@transaction.atomic
def create_meeting(*, actor, acting_for: Organisation, **fields) -> Meeting:
    policies.require_acting_as_purchaser_staff(actor, acting_for)
    meeting = apply_new_meeting(acting_for=acting_for, **fields)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.created",
        after=meeting_state(meeting),
    )
    return meeting


@transaction.atomic
def update_meeting(
    *,
    actor,
    acting_for: Organisation,
    meeting: Meeting,
    invitees: Sequence[dict] | None = None,
    **changes,
) -> Meeting:
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    if meeting.status != Status.PLANNED:
        raise Conflict(
            _(
                "Only a planned meeting can be changed; this one is %(status)s. Record what "
                "happened through attendance, minutes and their corrections."
            )
            % {"status": meeting.get_status_display().lower()},
            code="meeting_not_planned",
            details={"status": meeting.status},
        )
    before = meeting_state(meeting)
    if "arena" in changes or "programme" in changes:
        arena, programme = _resolve_home(
            acting_for,
            changes.pop("arena", meeting.arena_id),
            changes.pop("programme", meeting.programme_id),
        )
        meeting.arena, meeting.programme = arena, programme
    for name, value in changes.items():
        setattr(meeting, name, value)
    check_times(meeting.starts_at, meeting.ends_at)
    check_time_zone(meeting.time_zone)
    check_place(meeting.place, meeting.video_link)
    if invitees is not None:
        _set_invitees(meeting, _check_invitees(invitees))
    bump_sequence(meeting)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.updated",
        before=before,
        after=meeting_state(meeting),
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, acting_for: Organisation, meeting: Meeting, reason: str) -> Meeting:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    require_transition(meeting, Status.CANCELLED)
    reason = require_reason(reason)
    before = meeting_state(meeting)
    meeting.status = Status.CANCELLED
    meeting.cancellation_reason = reason
    bump_sequence(meeting)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.cancelled",
        before=before,
        after=meeting_state(meeting),
    )
    return meeting


def apply_held(meeting: Meeting) -> None:
    require_transition(meeting, Status.HELD)
    if meeting.starts_at > timezone.now():
        raise Conflict(
            _("The meeting starts at %(start)s; it can be marked held once it has started.")
            % {"start": meeting.starts_at.isoformat()},
            code="meeting_not_started",
            details={"starts_at": meeting.starts_at.isoformat()},
        )
    meeting.status = Status.HELD
    bump_sequence(meeting)


@transaction.atomic
def mark_meeting_held(*, actor, acting_for: Organisation, meeting: Meeting) -> Meeting:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_staff(actor, acting_for, meeting.purchaser)
    before = meeting_state(meeting)
    apply_held(meeting)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.held",
        before=before,
        after=meeting_state(meeting),
    )
    return meeting


@transaction.atomic
def approve_minutes(*, actor, acting_for: Organisation, meeting: Meeting) -> Meeting:
    meeting = lock_meeting(meeting)
    policies.require_purchaser_manager(actor, acting_for, meeting.purchaser)
    require_transition(meeting, Status.MINUTES_APPROVED)
    if not meeting.minutes.exists():
        raise Conflict(
            _("There are no minutes to approve yet; write the minutes first."),
            code="no_minutes",
        )
    before = meeting_state(meeting)
    meeting.status = Status.MINUTES_APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    bump_sequence(meeting)
    record_meeting_event(
        meeting,
        actor=actor,
        acting_for=acting_for,
        verb="meeting.minutes_approved",
        before=before,
        after=meeting_state(meeting),
    )
    return meeting
