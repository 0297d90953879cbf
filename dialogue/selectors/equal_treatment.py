"""Equal treatment: which providers taking part in a programme (or sitting in an arena) were
left out of its meetings, split by ownership. Swedish providers reported that private
providers are forgotten in planning and that equal treatment of public and private providers
meets internal resistance; this report makes it visible, with the organisations named.

Definitions (also in the README):
- the providers counted are the programme's participants, or the arena's members, of kind
  provider (networks speak for their members and have no ownership);
- the meetings counted are the programme's (or arena's) meetings that were not cancelled;
- *not invited*: the provider itself was never invited to any of those meetings (an
  invitation of a network it belongs to does not count: the finding is about the provider);
- *never attended*: the provider was never recorded present in the current attendance
  revision of any of those meetings that was held;
- consultations are not tracked yet: the key is there, with a note, rather than a figure.

Who reads it: the purchaser's staff and its politicians. Providers, even those taking part,
get 404: the report names other providers and how the purchaser treated them.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.errors import NotFound
from commissioning.models import Organisation, Participation, Programme
from dialogue.models import Arena, AttendanceEntry, AttendanceRevision, Invitation, Meeting

Ownership = Organisation.Ownership
HELD_STATUSES = [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]


def _require_reader(person, purchaser_id: int) -> None:
    if purchaser_id not in policies.standing_of(person).readable_purchasers:
        raise NotFound()


def programme_for_report(*, person, programme_id) -> Programme:
    programme = policies.get_visible(
        policies.visible_programmes(person).select_related("purchaser"), pk=programme_id
    )
    _require_reader(person, programme.purchaser_id)
    return programme


def arena_for_report(*, person, arena_id) -> Arena:
    arena = policies.get_visible(
        policies.visible_arenas(person).select_related("purchaser"), pk=arena_id
    )
    _require_reader(person, arena.purchaser_id)
    return arena


def _report(*, subject: dict, providers: QuerySet[Organisation], meetings: QuerySet[Meeting]):
    counted = meetings.exclude(status=Meeting.Status.CANCELLED)
    invited = Invitation.objects.filter(meeting__in=counted, organisation=OuterRef("pk"))
    later_revision = AttendanceRevision.objects.filter(
        meeting=OuterRef("revision__meeting"), number__gt=OuterRef("revision__number")
    )
    present = (
        AttendanceEntry.objects.filter(
            revision__meeting__in=counted.filter(status__in=HELD_STATUSES),
            status=AttendanceEntry.Status.PRESENT,
        )
        .filter(~Exists(later_revision))
        .filter(organisation=OuterRef("pk"))
    )
    rows = list(
        providers.annotate(was_invited=Exists(invited), attended=Exists(present))
        .order_by("name", "id")
        .values("id", "name", "ownership", "was_invited", "attended")
    )
    groups = []
    for ownership in Ownership:
        members = [r for r in rows if r["ownership"] == ownership]
        not_invited = [r for r in members if not r["was_invited"]]
        never_attended = [r for r in members if not r["attended"]]
        groups.append(
            {
                "ownership": ownership.value,
                "label": str(ownership.label),
                "providers": len(members),
                "not_invited": _figure(not_invited, members),
                "never_attended": _figure(never_attended, members),
            }
        )
    return {
        **subject,
        "meetings_counted": counted.count(),
        "providers": len(rows),
        "not_invited": _figure([r for r in rows if not r["was_invited"]], rows),
        "never_attended": _figure([r for r in rows if not r["attended"]], rows),
        "by_ownership": groups,
        "not_invited_to_consultations": {
            "tracked": False,
            "note": _("consultations are not tracked yet"),
        },
    }


def _figure(left_out: list[dict], among: list[dict]) -> dict:
    return {
        "count": len(left_out),
        # A rate of an empty group would be a made-up figure: it is null instead.
        "rate": round(len(left_out) / len(among), 3) if among else None,
        "organisations": [{"id": r["id"], "name": r["name"]} for r in left_out],
    }


def programme_report(*, programme: Programme) -> dict:
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER,
        id__in=Participation.objects.filter(programme=programme).values("organisation_id"),
    )
    return _report(
        subject={
            "subject": "programme",
            "id": programme.id,
            "name": programme.name,
            "purchaser": {"id": programme.purchaser_id, "name": programme.purchaser.name},
        },
        providers=providers,
        meetings=Meeting.objects.filter(programme=programme),
    )


def arena_report(*, arena: Arena) -> dict:
    providers = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER,
        id__in=Arena.members.through.objects.filter(arena=arena).values("organisation_id"),
    )
    return _report(
        subject={
            "subject": "arena",
            "id": arena.id,
            "name": arena.name,
            "purchaser": {"id": arena.purchaser_id, "name": arena.purchaser.name},
        },
        providers=providers,
        meetings=Meeting.objects.filter(arena=arena),
    )
