"""Every write of the core. Each service checks its rule, changes the rows and records one
Event, all in one transaction (Zulip's actions): a failing write leaves no trace."""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import (
    Organisation,
    Participation,
    Programme,
)
from commissioning.services.events import record_event, snapshot

Kind = Organisation.Kind


# --- organisations and people (the administrator's work) ---------------------------------


# --- programmes -------------------------------------------------------------------------

PARTICIPANT_KINDS = {Kind.PROVIDER, Kind.PROVIDER_NETWORK}


def check_time_zone(time_zone: str) -> None:
    if time_zone not in zoneinfo.available_timezones():
        raise RuleViolation(
            _("%(zone)s is not a time zone; use a name such as Europe/Stockholm.")
            % {"zone": time_zone},
            fields={"time_zone": [_("Not a known time zone.")]},
        )


def _participants(organisation_ids: Iterable[int]) -> list[Organisation]:
    ids = list(dict.fromkeys(organisation_ids))
    found = {o.id: o for o in Organisation.objects.filter(id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise RuleViolation(
            _("No organisation has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            fields={"participants": [_("Unknown organisation.")]},
        )
    wrong = [o.name for o in found.values() if o.kind not in PARTICIPANT_KINDS]
    if wrong:
        raise RuleViolation(
            _("Only providers and provider networks take part in a programme: %(names)s.")
            % {"names": ", ".join(wrong)},
            fields={"participants": [_("Not a provider or provider network.")]},
        )
    return [found[i] for i in ids]


def _programme_state(programme: Programme) -> dict:
    participants = sorted(
        Participation.objects.filter(programme=programme).values_list("organisation_id", flat=True)
    )
    return snapshot(programme, extra={"participants": participants})


PROGRAMME_FIELDS = {
    "name",
    "description",
    "framework",
    "phase",
    "target_decision_date",
    "language",
    "time_zone",
}


@transaction.atomic
def create_programme(
    *,
    actor,
    acting_for: Organisation,
    name: str,
    language: str,
    framework: str = Programme.Framework.GENERIC,
    phase: str = Programme.Phase.PLANNING,
    description: str = "",
    target_decision_date: datetime.date | None = None,
    time_zone: str | None = None,
    participants: Iterable[int] = (),
) -> Programme:
    policies.require_acting_as_purchaser_staff(actor, acting_for)
    time_zone = time_zone or "Europe/Stockholm"
    check_time_zone(time_zone)
    organisations = _participants(participants)
    programme = Programme.objects.create(
        purchaser=acting_for,
        name=name,
        description=description,
        framework=framework,
        phase=phase,
        target_decision_date=target_decision_date,
        language=language,
        time_zone=time_zone,
    )
    Participation.objects.bulk_create(
        Participation(programme=programme, organisation=o) for o in organisations
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="programme.created",
        subject=programme,
        after=_programme_state(programme),
        purchaser=acting_for,
    )
    return programme


@transaction.atomic
def update_programme(
    *,
    actor,
    acting_for: Organisation,
    programme: Programme,
    participants: Iterable[int] | None = None,
    **changes,
) -> Programme:
    unknown = set(changes) - PROGRAMME_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    policies.require_programme_editor(actor, acting_for, programme)
    if "time_zone" in changes:
        check_time_zone(changes["time_zone"])
    before = _programme_state(programme)
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.save()
    if participants is not None:
        organisations = _participants(participants)
        wanted = {o.id for o in organisations}
        Participation.objects.filter(programme=programme).exclude(organisation__in=wanted).delete()
        present = set(
            Participation.objects.filter(programme=programme).values_list(
                "organisation_id", flat=True
            )
        )
        Participation.objects.bulk_create(
            Participation(programme=programme, organisation_id=i) for i in wanted - present
        )
    after = _programme_state(programme)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="programme.updated",
        subject=programme,
        before=before,
        after=after,
        purchaser=programme.purchaser,
    )
    return programme


@transaction.atomic
def delete_programme(*, actor, acting_for: Organisation, programme: Programme) -> None:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    policies.require_programme_manager(actor, acting_for, programme)
    before = _programme_state(programme)
    # The Event is written first: it names the subject by type and id, which outlive the row.
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="programme.deleted",
        subject=programme,
        before=before,
        purchaser=programme.purchaser,
    )
    try:
        programme.delete()
    except ProtectedError as exc:
        raise Conflict(
            _(
                "This programme still has %(count)s linked records (contracts, rulebooks, "
                "meetings); end or move them before deleting it, or set its phase to closed."
            )
            % {"count": len(exc.protected_objects)},
            code="programme_in_use",
        ) from None


# --- gates ------------------------------------------------------------------------------
