"""Arenas: the standing forums of a purchaser and their member organisations."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from dialogue.models import (
    Arena,
)
from dialogue.services.meeting_checks import known_organisations

ARENA_FIELDS = {"name", "kind", "description", "cadence_weeks"}


def _arena_state(arena: Arena) -> dict:
    members = sorted(arena.members.values_list("id", flat=True))
    return snapshot(arena, extra={"members": members})


def _set_members(arena: Arena, members: Iterable[int], acting_for: Organisation) -> None:
    found = known_organisations(members, "members")
    if acting_for.id in found:
        raise RuleViolation(
            _("An arena's members are the organisations the purchaser meets, not itself."),
            fields={"members": [_("Leave out your own organisation.")]},
        )
    arena.members.set(found.values())


@transaction.atomic
def create_arena(
    *,
    actor,
    acting_for: Organisation,
    name: str,
    kind: str,
    description: str = "",
    cadence_weeks: int | None = None,
    members: Iterable[int] = (),
) -> Arena:
    policies.require_acting_as_purchaser_staff(actor, acting_for)
    arena = Arena.objects.create(
        purchaser=acting_for,
        name=name,
        kind=kind,
        description=description,
        cadence_weeks=cadence_weeks,
    )
    _set_members(arena, members, acting_for)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="arena.created",
        subject=arena,
        after=_arena_state(arena),
        purchaser=acting_for,
    )
    return arena


@transaction.atomic
def update_arena(
    *,
    actor,
    acting_for: Organisation,
    arena: Arena,
    members: Iterable[int] | None = None,
    **changes,
) -> Arena:
    unknown = set(changes) - ARENA_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    arena = Arena.objects.select_for_update().select_related("purchaser").get(pk=arena.pk)
    policies.require_purchaser_staff(actor, acting_for, arena.purchaser)
    before = _arena_state(arena)
    for name, value in changes.items():
        setattr(arena, name, value)
    arena.save()
    if members is not None:
        _set_members(arena, members, acting_for)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="arena.updated",
        subject=arena,
        before=before,
        after=_arena_state(arena),
        purchaser=arena.purchaser,
    )
    return arena
