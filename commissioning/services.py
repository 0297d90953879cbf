"""Every write of the core. Each service checks its rule, changes the rows and records one
Event, all in one transaction (Zulip's actions): a failing write leaves no trace."""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import (
    Event,
    Membership,
    NetworkMembership,
    Organisation,
    Participation,
    Programme,
)

Kind = Organisation.Kind


def snapshot(instance, *, extra: dict | None = None) -> dict:
    """The stored values of a row, foreign keys as ids, for an Event's before/after."""
    values = {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields}
    values.update(extra or {})
    return values


def record_event(
    *,
    actor,
    acting_for: Organisation | None,
    verb: str,
    subject,
    before: dict | None = None,
    after: dict | None = None,
    purchaser: Organisation | None = None,
) -> Event:
    """Write the Event of a change. Must run inside the change's own transaction, so that the
    change and its Event are committed together or not at all."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    return Event.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        acting_for=acting_for,
        purchaser=purchaser,
        verb=verb,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:200],
        before=before,
        after=after,
    )


# --- organisations and people (the administrator's work) ---------------------------------


@transaction.atomic
def create_organisation(
    *,
    actor,
    name: str,
    kind: str,
    country: str,
    ownership: str = "",
    official_id: str = "",
    oversees: Organisation | None = None,
) -> Organisation:
    if kind == Kind.PROVIDER and not ownership:
        raise RuleViolation(
            _("A provider must say whether it is public, private or non-profit."),
            fields={"ownership": [_("Required for providers.")]},
        )
    if kind != Kind.PROVIDER and ownership:
        raise RuleViolation(
            _("Only providers have an ownership; leave it empty for this kind."),
            fields={"ownership": [_("Only for providers.")]},
        )
    if oversees is not None and (kind != Kind.POLITICAL_BODY or oversees.kind != Kind.PURCHASER):
        raise RuleViolation(
            _("Only a political body oversees, and what it oversees must be a purchaser."),
            fields={"oversees": [_("A purchaser, for political bodies only.")]},
        )
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        country=country.upper(),
        ownership=ownership,
        official_id=official_id,
        oversees=oversees,
    )
    record_event(
        actor=actor,
        acting_for=None,
        verb="organisation.created",
        subject=organisation,
        after=snapshot(organisation),
        purchaser=organisation if kind == Kind.PURCHASER else oversees,
    )
    return organisation


@transaction.atomic
def add_membership(*, actor, person, organisation: Organisation, role: str) -> Membership:
    allowed = Membership.ROLES_BY_KIND[organisation.kind]
    if role not in allowed:
        raise RuleViolation(
            _("A %(kind)s has no %(role)s; choose one of: %(allowed)s.")
            % {
                "kind": organisation.get_kind_display(),
                "role": role,
                "allowed": ", ".join(sorted(allowed)),
            },
            fields={"role": [_("Does not fit the organisation's kind.")]},
        )
    if Membership.objects.filter(person=person, organisation=organisation, role=role).exists():
        raise Conflict(_("This person already has that role in that organisation."))
    membership = Membership.objects.create(person=person, organisation=organisation, role=role)
    record_event(
        actor=actor,
        acting_for=None,
        verb="membership.created",
        subject=membership,
        after=snapshot(membership),
        purchaser=organisation if organisation.kind == Kind.PURCHASER else None,
    )
    policies.forget_standing(person)
    return membership


@transaction.atomic
def add_network_member(
    *, actor, network: Organisation, provider: Organisation
) -> NetworkMembership:
    if network.kind != Kind.PROVIDER_NETWORK or provider.kind != Kind.PROVIDER:
        raise RuleViolation(_("Only a provider can join, and only a provider network."))
    if NetworkMembership.objects.filter(network=network, provider=provider).exists():
        raise Conflict(
            _("%(provider)s is already a member of %(network)s.")
            % {
                "provider": provider.name,
                "network": network.name,
            }
        )
    link = NetworkMembership.objects.create(network=network, provider=provider)
    record_event(
        actor=actor,
        acting_for=None,
        verb="network_membership.created",
        subject=link,
        after=snapshot(link),
    )
    return link


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


def require_gates_passed(*, programme: Programme, contract=None, decision: str) -> None:
    """Refuse a gated decision (finalising a contract, adopting a rulebook version) while a
    gating milestone is open: the UK finding that dialogue must come *before* the contract
    is finalised. A manager may waive a milestone, with a written reason."""
    from commissioning.selectors import open_gating_milestones

    blocking = list(open_gating_milestones(programme=programme, contract=contract))
    if not blocking:
        return
    raise Conflict(
        _(
            "%(decision)s is not possible while %(count)s gating milestone(s) are open: "
            "%(titles)s. Meet them, or have a manager waive them with a reason."
        )
        % {
            "decision": decision,
            "count": len(blocking),
            "titles": "; ".join(m.title for m in blocking),
        },
        code="gating_milestones_open",
        details={
            "open_milestones": [
                {
                    "id": m.id,
                    "title": m.title,
                    "status": m.status,
                    "due_date": m.effective_due_date.isoformat() if m.effective_due_date else None,
                }
                for m in blocking
            ]
        },
    )
