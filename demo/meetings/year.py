"""The year of an arena: its past meetings logged as held through the dialogue services
(log_meeting), the older minutes approved and the done actions closed, and the next meeting
planned (create_meeting), so that every Event exists and every rule holds. The arenas of the
three countries (demo.meetings.swedish, .english, .norwegian) are told with these."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from dialogue.models import Arena, AttendanceEntry, Meeting
from dialogue.services.log import log_meeting
from dialogue.services.meetings import approve_minutes, create_meeting
from dialogue.services.record import add_agenda_item, complete_action_item

INFO, DIALOGUE, DECISION = "information", "dialogue", "decision"
PRESENT, EXCUSED = AttendanceEntry.Status.PRESENT, AttendanceEntry.Status.EXCUSED
# Minutes of meetings at least this many days old have been approved; the latest ones wait.
APPROVED_AFTER_DAYS = 90


@dataclass
class Action:
    title: str
    owner: object  # an Organisation
    due_in_days: int  # from today; negative is in the past
    agenda_index: int | None = None
    done: bool = False


@dataclass
class Past:
    days_ago: int
    title: str
    agenda: list  # (kind, title, planned minutes, actual minutes, [decisions])
    actions: list[Action] = field(default_factory=list)
    excused: tuple = ()  # organisations that sent apologies
    minutes: str = ""


@dataclass
class Forum:
    """One arena of one purchaser and who speaks for it."""

    purchaser: object
    officer: object
    manager: object
    time_zone: str
    place: str
    programme: object
    invitees: list  # organisations invited to every meeting
    people: dict  # organisation id -> person recorded in the attendance


def _at(day: datetime.date, hour: int, time_zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(time_zone))


def _attendance(forum: Forum, excused) -> list[dict]:
    excused_ids = {o.id for o in excused}
    entries = [{"organisation": forum.purchaser.id, "person": forum.officer.id, "status": PRESENT}]
    for organisation in forum.invitees:
        entry = {
            "organisation": organisation.id,
            "status": EXCUSED if organisation.id in excused_ids else PRESENT,
        }
        if organisation.id in forum.people:
            entry["person"] = forum.people[organisation.id]
        entries.append(entry)
    return entries


def hold_year(*, forum: Forum, arena: Arena, meetings: list[Past], today) -> list[Meeting]:
    """Log each past meeting as held (the way officers log after the meeting), approve the
    minutes of the older ones, and close the actions that were done."""
    logged = []
    for spec in meetings:
        day = today - datetime.timedelta(days=spec.days_ago)
        meeting = log_meeting(
            actor=forum.officer,
            acting_for=forum.purchaser,
            new_meeting={
                "title": spec.title,
                "starts_at": _at(day, 13, forum.time_zone),
                "ends_at": _at(day, 16, forum.time_zone),
                "arena": arena.id,
                "programme": forum.programme.id,
                "time_zone": forum.time_zone,
                "place": forum.place,
                "invitees": [{"organisation": o.id} for o in forum.invitees],
            },
            attendance=_attendance(forum, spec.excused),
            agenda=[
                {
                    "title": title,
                    "kind": kind,
                    "planned_minutes": planned,
                    "actual_minutes": actual,
                    "decisions": decisions,
                }
                for kind, title, planned, actual, decisions in spec.agenda
            ],
            actions=[
                {
                    "title": a.title,
                    "owner_organisation": a.owner.id,
                    "due_date": today + datetime.timedelta(days=a.due_in_days),
                    "agenda_index": a.agenda_index,
                }
                for a in spec.actions
            ],
            minutes=spec.minutes
            or f"# {spec.title}\n\n"
            + "\n".join(f"- {title}" for _kind, title, *_rest in spec.agenda),
        )
        if spec.days_ago >= APPROVED_AFTER_DAYS:
            approve_minutes(actor=forum.manager, acting_for=forum.purchaser, meeting=meeting)
        done = {a.title for a in spec.actions if a.done}
        for action in meeting.action_items.filter(title__in=done):
            complete_action_item(actor=forum.officer, acting_for=forum.purchaser, action=action)
        logged.append(meeting)
    return logged


def plan_next(*, forum: Forum, arena: Arena, title: str, in_days: int, agenda, today) -> Meeting:
    day = today + datetime.timedelta(days=in_days)
    meeting = create_meeting(
        actor=forum.officer,
        acting_for=forum.purchaser,
        title=title,
        starts_at=_at(day, 13, forum.time_zone),
        ends_at=_at(day, 16, forum.time_zone),
        arena=arena.id,
        programme=forum.programme.id,
        time_zone=forum.time_zone,
        place=forum.place,
        invitees=[{"organisation": o.id} for o in forum.invitees],
    )
    for kind, item_title, planned in agenda:
        add_agenda_item(
            actor=forum.officer,
            acting_for=forum.purchaser,
            meeting=meeting,
            title=item_title,
            kind=kind,
            planned_minutes=planned,
        )
    return meeting
