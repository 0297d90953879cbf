"""Arenas and their meetings: invitations, agenda items (the kinds mixed so that the
dialogue share differs from arena to arena), minutes, attendance with an occasional
correction, action items; concerns between purchasers and providers; relationship
settings."""

import datetime
import uuid

from demo.scale_data.copy import NOW, Ids, copy_rows
from demo.scale_data.plan import ARENA_MEMBERS, COUNTRIES, INVITED_PER_MEETING, Built, rng
from dialogue.models import (
    ActionItem,
    AgendaItem,
    Arena,
    AttendanceEntry,
    AttendanceRevision,
    Concern,
    Invitation,
    Meeting,
    MinutesRevision,
    RelationshipSettings,
)

M = Meeting.Status
HELD = (M.HELD, M.MINUTES_APPROVED)
ARENA_KINDS = [k for k, _ in Arena.Kind.choices]
HISTORY_DAYS = 4 * 365
FUTURE_DAYS = 180
AGENDA_TITLES = {
    AgendaItem.Kind.INFORMATION: "Update from the purchaser",
    AgendaItem.Kind.DIALOGUE: "Discussion: waiting times and pathways",
    AgendaItem.Kind.DECISION: "Decision on the reporting template",
}


def build(built: Built) -> None:
    random = rng(built.seed, "meetings")
    arenas = _arenas(built, random)
    _meetings(built, random, arenas)
    _concerns(built, rng(built.seed, "concerns"))


def _arenas(built: Built, random) -> list[tuple]:
    """(arena id, purchaser index, members, share of dialogue items)"""
    size = built.sizes
    arena_ids, member_ids = Ids(Arena), Ids(Arena.members.through)
    arenas, rows, members = [], [], []
    for a in range(size["arenas"]):
        home = a % size["purchasers"]
        arena = arena_ids.one()
        pool = built.pool(home)
        start = (a // size["purchasers"]) * ARENA_MEMBERS
        chosen = sorted(
            {pool[(start + i) % len(pool)] for i in range(min(ARENA_MEMBERS, len(pool)))}
        )
        rows.append(
            (
                arena,
                built.purchasers[home],
                f"Arena {a:02}",
                ARENA_KINDS[a % len(ARENA_KINDS)],
                4 + a % 5,
            )
        )
        members.extend((member_ids.one(), arena, o) for o in chosen)
        # From about one item in six to two in three: some arenas are information-heavy.
        arenas.append((arena, home, chosen, 0.15 + 0.5 * (a % 7) / 6))
    built.count(
        "arenas", copy_rows(Arena, ["id", "purchaser_id", "name", "kind", "cadence_weeks"], rows)
    )
    copy_rows(Arena.members.through, ["id", "arena_id", "organisation_id"], members)
    return arenas


MEETING_COLUMNS = [
    "id",
    "purchaser_id",
    "arena_id",
    "programme_id",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "status",
    "cancellation_reason",
    "uid",
    "sequence",
    "minutes_approved_at",
    "minutes_approved_by_id",
    "created_at",
]
AGENDA_COLUMNS = [
    "id",
    "meeting_id",
    "position",
    "title",
    "kind",
    "planned_minutes",
    "actual_minutes",
    "presenter_id",
]


class _MeetingRows:
    def __init__(self):
        self.meeting_ids, self.invitation_ids = Ids(Meeting), Ids(Invitation)
        self.meetings, self.invitations, self.agenda_plan, self.minutes = [], [], [], []
        self.revisions, self.entries = [], []
        self.revision_ids, self.entry_ids, self.minutes_ids = (
            Ids(AttendanceRevision),
            Ids(AttendanceEntry),
            Ids(MinutesRevision),
        )


def _meetings(built: Built, random, arenas: list[tuple]) -> None:
    rows = _MeetingRows()
    programmes_of = {}
    for g, home in enumerate(built.programme_purchaser):
        programmes_of.setdefault(home, []).append(built.programmes[g])
    first = NOW - datetime.timedelta(days=HISTORY_DAYS)
    for t in range(built.sizes["meetings"]):
        arena, home, members, dialogue_share = arenas[t % len(arenas)]
        meeting, status, programme, starts = _meeting(
            built, random, rows, t, arena, home, programmes_of, first
        )
        invited = _invite(random, rows, meeting, members)
        # Each meeting around its arena's share: some of every arena are information-heavy.
        share = min(0.9, max(0.0, dialogue_share + random.uniform(-0.25, 0.25)))
        rows.agenda_plan.append((meeting, status in HELD, share, built.purchasers[home]))
        if status not in HELD:
            continue
        if status == M.MINUTES_APPROVED:
            rows.minutes.append(
                (
                    rows.minutes_ids.one(),
                    meeting,
                    1,
                    "We discussed the items of the agenda.",
                    built.officers[home],
                )
            )
        present = _attendance(built, random, rows, meeting, home, invited, starts)
        built.held_meetings.append((meeting, home, programme, arena, starts, present))
    _write_meetings(built, random, rows)
    _action_items(built, random)


def _meeting(built: Built, random, rows: _MeetingRows, t, arena, home, programmes_of, first):
    """Meeting `t` of an arena, somewhere in the four years before NOW or the half year
    after: (meeting id, status, programme id or None, starts at)."""
    meeting = rows.meeting_ids.one()
    starts = first + datetime.timedelta(
        minutes=15 * random.randrange((HISTORY_DAYS + FUTURE_DAYS) * 96)
    )
    if starts >= NOW:
        status = M.PLANNED
    else:
        status = random.choices([M.HELD, M.MINUTES_APPROVED, M.CANCELLED], [60, 35, 5])[0]
    programme = random.choice(programmes_of[home]) if t % 2 else None
    approved = status == M.MINUTES_APPROVED
    rows.meetings.append(
        (
            meeting,
            built.purchasers[home],
            arena,
            programme,
            f"Meeting {t:05}",
            starts,
            starts + datetime.timedelta(hours=2),
            COUNTRIES[built.purchaser_country[home]][4],
            "Town hall",
            status,
            "Too few could come." if status == M.CANCELLED else "",
            uuid.UUID(int=random.getrandbits(128), version=4),
            0,
            starts + datetime.timedelta(days=7) if approved else None,
            built.managers[home] if approved else None,
            starts - datetime.timedelta(days=30),
        )
    )
    return meeting, status, programme, starts


def _invite(random, rows: _MeetingRows, meeting, members) -> list[int]:
    """A run of the arena's members, from a random one on."""
    offset = random.randrange(len(members))
    invited = sorted(
        {
            members[(offset + i) % len(members)]
            for i in range(min(INVITED_PER_MEETING, len(members)))
        }
    )
    rows.invitations.extend((rows.invitation_ids.one(), meeting, o) for o in invited)
    return invited


def _attendance(built: Built, random, rows: _MeetingRows, meeting, home, invited, starts):
    """The attendance of a held meeting, corrected once in fifty: who was present in the
    last revision."""
    revision_count = 2 if random.random() < 0.02 else 1
    present = []
    for number in range(1, revision_count + 1):
        revision = rows.revision_ids.one()
        rows.revisions.append(
            (
                revision,
                meeting,
                number,
                "" if number == 1 else "A provider was marked absent by mistake.",
                built.officers[home],
                starts + datetime.timedelta(hours=3 + number),
            )
        )
        present = []
        for o in invited:
            status_of = random.choices(
                [
                    AttendanceEntry.Status.PRESENT,
                    AttendanceEntry.Status.ABSENT,
                    AttendanceEntry.Status.EXCUSED,
                ],
                [85, 10, 5],
            )[0]
            rows.entries.append((rows.entry_ids.one(), revision, o, status_of))
            if status_of == AttendanceEntry.Status.PRESENT:
                present.append(o)
    return present


def _write_meetings(built: Built, random, rows: _MeetingRows) -> None:
    built.count("meetings", copy_rows(Meeting, MEETING_COLUMNS, rows.meetings))
    copy_rows(Invitation, ["id", "meeting_id", "organisation_id"], rows.invitations)
    built.count(
        "agenda items",
        copy_rows(
            AgendaItem,
            AGENDA_COLUMNS,
            _agenda_items(built.sizes, random, rows.agenda_plan, Ids(AgendaItem)),
        ),
    )
    copy_rows(
        MinutesRevision, ["id", "meeting_id", "number", "text", "written_by_id"], rows.minutes
    )
    copy_rows(
        AttendanceRevision,
        ["id", "meeting_id", "number", "reason", "recorded_by_id", "created_at"],
        rows.revisions,
    )
    built.count(
        "attendance entries",
        copy_rows(
            AttendanceEntry, ["id", "revision_id", "organisation_id", "status"], rows.entries
        ),
    )


def _agenda_items(size, random, agenda_plan, ids: Ids):
    # A generator: it runs while the COPY is open, so it may not query (the ids come in).
    total, meetings = size["agenda_items"], len(agenda_plan)
    K = AgendaItem.Kind
    for index, (meeting, held, dialogue_share, purchaser) in enumerate(agenda_plan):
        count = total // meetings + (1 if index < total % meetings else 0)
        for position in range(1, count + 1):
            if random.random() < dialogue_share:
                kind = K.DIALOGUE
            else:
                kind = K.INFORMATION if random.random() < 0.8 else K.DECISION
            planned = 5 * random.randrange(1, 7)
            actual = max(1, planned + random.randrange(-5, 10)) if held else None
            yield (
                ids.one(),
                meeting,
                position,
                AGENDA_TITLES[kind],
                kind,
                planned,
                actual,
                purchaser if kind == K.INFORMATION else None,
            )


def _action_items(built: Built, random) -> None:
    ids = Ids(ActionItem)
    rows = []
    A = ActionItem.Status
    held = [m for m in built.held_meetings if m[5]]
    for n in range(built.sizes["action_items"] if held else 0):
        meeting, _home, _programme, _arena, starts, present = held[n % len(held)]
        owner = random.choice(present)
        due = (starts + datetime.timedelta(days=random.randrange(14, 90))).date()
        status = random.choices([A.OPEN, A.DONE, A.DROPPED], [50, 45, 5])[0]
        rows.append(
            (
                ids.one(),
                meeting,
                f"Send the figures ({n})",
                owner,
                built.representative[owner],
                due,
                status,
                "Overtaken by the new contract." if status == A.DROPPED else "",
                None if status == A.OPEN else starts + datetime.timedelta(days=20),
                starts,
            )
        )
    built.count(
        "action items",
        copy_rows(
            ActionItem,
            [
                "id",
                "meeting_id",
                "title",
                "owner_organisation_id",
                "owner_person_id",
                "due_date",
                "status",
                "dropped_reason",
                "closed_at",
                "created_at",
            ],
            rows,
        ),
    )


def _concerns(built: Built, random) -> None:
    C = Concern.Status
    statuses = [s for s, _ in C.choices]
    ids = Ids(Concern)
    rows = []
    for n in range(built.sizes["concerns"]):
        g = n % len(built.programmes)
        home = built.programme_purchaser[g]
        purchaser = built.purchasers[home]
        provider = random.choice(built.participants[g])
        raised_by, raised_with = (provider, purchaser) if n % 3 else (purchaser, provider)
        created = NOW - datetime.timedelta(days=random.randrange(720))
        status = random.choice(statuses)
        rows.append(
            (
                ids.one(),
                purchaser,
                raised_by,
                raised_with,
                built.programmes[g],
                f"Concern {n:05}",
                (created + datetime.timedelta(days=14)).date(),
                status,
                None
                if status == C.RAISED
                else created + datetime.timedelta(hours=random.randrange(4, 400)),
                "Agreed a new routine." if status == C.RESOLVED else "",
                created + datetime.timedelta(days=30)
                if status in (C.RESOLVED, C.WITHDRAWN)
                else None,
                built.representative.get(raised_by, built.managers[home]),
                created,
            )
        )
    built.count(
        "concerns",
        copy_rows(
            Concern,
            [
                "id",
                "purchaser_id",
                "raised_by_id",
                "raised_with_id",
                "programme_id",
                "title",
                "reply_by",
                "status",
                "acknowledged_at",
                "resolution",
                "closed_at",
                "raised_by_person_id",
                "created_at",
            ],
            rows,
        ),
    )
    settings_ids = Ids(RelationshipSettings)
    copy_rows(
        RelationshipSettings,
        ["id", "purchaser_id", "no_meeting_alert_days"],
        ((settings_ids.one(), p, 60 + 30 * (i % 3)) for i, p in enumerate(built.purchasers)),
    )
