"""Every read of arenas, meetings, agenda items and actions that a view or job uses: querysets
scoped by commissioning.policies and prefetched for the serializer that shows them."""

from django.db.models import Prefetch, QuerySet

from commissioning import policies
from commissioning.models import Organisation
from dialogue.models import (
    ActionItem,
    AgendaItem,
    Arena,
    AttendanceEntry,
    AttendanceRevision,
    Decision,
    Invitation,
    Meeting,
    MinutesRevision,
)
from dialogue.selectors import dialogue_share


def arena_list(*, person) -> QuerySet[Arena]:
    return (
        policies.visible_arenas(person)
        .select_related("purchaser")
        .prefetch_related(Prefetch("members", queryset=Organisation.objects.order_by("name", "id")))
    )


def arena_get(*, person, arena_id) -> Arena:
    return policies.get_visible(arena_list(person=person), pk=arena_id)


def arena_dialogue_share(*, person, arena: Arena) -> list[dialogue_share.QuarterShare]:
    """The quarterly series over the arena's meetings the person may see."""
    return dialogue_share.quarterly_series(policies.visible_meetings(person).filter(arena=arena))


def _invitations() -> Prefetch:
    return Prefetch(
        "invitations",
        queryset=Invitation.objects.select_related("organisation", "person").order_by(
            "organisation__name", "id"
        ),
    )


def meeting_list(*, person) -> QuerySet[Meeting]:
    """Meetings with `dialogue_minutes` and `total_minutes` annotated (one query for every
    share on the page) and what the list serializer shows."""
    return dialogue_share.with_minutes(
        policies.visible_meetings(person).select_related("purchaser", "arena", "programme")
    ).prefetch_related(_invitations())


def meeting_detail(*, person) -> QuerySet[Meeting]:
    return meeting_list(person=person).prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("presenter").prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.order_by("id"))
            ),
        ),
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("owner_organisation", "owner_person"),
        ),
        Prefetch(
            "minutes",
            queryset=MinutesRevision.objects.select_related("written_by").order_by("number"),
        ),
        Prefetch(
            "attendance",
            queryset=AttendanceRevision.objects.select_related("recorded_by")
            .prefetch_related(
                Prefetch(
                    "entries",
                    queryset=AttendanceEntry.objects.select_related(
                        "organisation", "person"
                    ).order_by("organisation__name", "id"),
                )
            )
            .order_by("number"),
        ),
    )


def meeting_get(*, person, meeting_id) -> Meeting:
    return policies.get_visible(meeting_detail(person=person), pk=meeting_id)


def meeting_for_write(*, person, meeting_id) -> Meeting:
    """The meeting a write is about, if the person may see it (404 otherwise)."""
    return policies.get_visible(policies.visible_meetings(person), pk=meeting_id)


def agenda_item_list(*, person) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting__in=policies.visible_meetings(person))
        .select_related("presenter", "meeting")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("id")))
        .order_by("meeting_id", "position")
    )


def agenda_item_get(*, person, item_id) -> AgendaItem:
    return policies.get_visible(agenda_item_list(person=person), pk=item_id)


def action_item_list(*, person) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting__in=policies.visible_meetings(person)).select_related(
        "owner_organisation", "owner_person", "meeting"
    )


def action_item_get(*, person, action_id) -> ActionItem:
    return policies.get_visible(action_item_list(person=person), pk=action_id)


def open_actions_of(*, person) -> QuerySet[ActionItem]:
    """The open actions named to the person, of meetings they may see."""
    return (
        action_item_list(person=person)
        .filter(owner_person=person, status=ActionItem.Status.OPEN)
        .select_related("meeting__purchaser")
    )


def actions_assigned_by(*, person) -> QuerySet[ActionItem]:
    """The actions the person put on the record (planned, logged or added), to follow up."""
    return (
        action_item_list(person=person)
        .filter(assigned_by=person)
        .select_related("meeting__purchaser")
    )
