"""Contracts: creating them and moving them through their statuses. Each service checks its
rule through commissioning.policies, changes the rows and records one Event, all in one
transaction. Changing the terms and the parties: contracts.services.terms; obligations:
contracts.services.obligations."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation, Participation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.services.milestones import require_gates_passed
from commissioning.transitions import Lifecycle
from contracts.models import (
    Contract,
    ContractParty,
    ContractVersion,
)
from contracts.terms import terms_of

Status = Contract.Status

# The one table of the status machine: each move, the statuses it starts from and the status
# it leads to. The 409 of an illegal move lists, from here, where the contract can go.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "start_dialogue": ((Status.DRAFT,), Status.IN_DIALOGUE, _("Starting dialogue")),
    "start_negotiation": ((Status.IN_DIALOGUE,), Status.NEGOTIATION, _("Starting negotiation")),
    "finalise": ((Status.NEGOTIATION,), Status.FINALISED, _("Finalising")),
    # A gap found in finalised terms before signing: a manager reopens negotiation. Once
    # signed, a change is an amendment instead.
    "reopen_negotiation": (
        (Status.FINALISED,),
        Status.NEGOTIATION,
        _("Reopening negotiation"),
    ),
    "sign": ((Status.FINALISED,), Status.SIGNED, _("Signing")),
    "activate": ((Status.SIGNED,), Status.ACTIVE, _("Activating")),
    "end": ((Status.ACTIVE,), Status.ENDED, _("Ending")),
    "terminate": ((Status.SIGNED, Status.ACTIVE), Status.TERMINATED, _("Terminating")),
}

# Terms are edited in place while the contract is being worked out; once finalised they are
# what will be signed (reopen negotiation to change them); once signed, amend.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.IN_DIALOGUE, Status.NEGOTIATION})
BEFORE_SIGNING = EDITABLE_STATUSES | {Status.FINALISED}
AMENDABLE_STATUSES = frozenset({Status.SIGNED, Status.ACTIVE})
PARTY_KINDS = frozenset({Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK})


def allowed_moves(status: str) -> list[str]:
    return [move for move, (sources, _target, _label) in TRANSITIONS.items() if status in sources]


# The statuses each status may move to, read off the moves above.
CONTRACT_LIFECYCLE = Lifecycle(
    Status,
    {
        status: tuple(dict.fromkeys(TRANSITIONS[move][1] for move in allowed_moves(status)))
        for status in Status.values
    },
    closed=_("nothing: the contract is closed"),
)


def lock_contract(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("programme", "purchaser")
        .get(pk=contract.pk)
    )


def latest_version(contract: Contract) -> ContractVersion:
    return contract.versions.order_by("-number").first()


def check_terms(terms: dict) -> None:
    """The rules of a set of terms as a whole, refused with 400 before the database's own
    constraints would answer with an error the person cannot read."""
    unknown = set(terms) - set(ContractVersion.TERM_FIELDS)
    if unknown:
        raise RuleViolation(
            _("These are not terms of a contract: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if not terms.get("title"):
        raise RuleViolation(
            _("A contract needs a title."), fields={"title": [_("This field is required.")]}
        )
    if terms.get("kind") not in Contract.Kind.values:
        raise RuleViolation(
            _("Say what kind of contract this is: one of %(kinds)s.")
            % {"kinds": ", ".join(Contract.Kind.values)},
            fields={"kind": [_("Not a kind of contract.")]},
        )
    start, end = terms.get("period_start"), terms.get("period_end")
    if start and end and end < start:
        raise RuleViolation(
            _("The period ends (%(end)s) before it starts (%(start)s); swap or correct the dates.")
            % {"start": start, "end": end},
            fields={"period_end": [_("Must be on or after the period start.")]},
        )
    currency = terms.get("currency") or ""
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise RuleViolation(
            _("Write the currency as its three-letter ISO 4217 code in capitals, e.g. SEK."),
            fields={"currency": [_("Three capital letters.")]},
        )
    if terms.get("value") is not None and not currency:
        raise RuleViolation(
            _("A value needs its currency; give the currency (e.g. SEK, NOK, GBP)."),
            fields={"currency": [_("Required when a value is given.")]},
        )
    if terms.get("value") is not None and terms["value"] < 0:
        raise RuleViolation(
            _("The value of a contract cannot be negative."),
            fields={"value": [_("Zero or more.")]},
        )


def _programme_participants(programme: Programme) -> set[int]:
    return set(
        Participation.objects.filter(programme=programme).values_list("organisation_id", flat=True)
    )


def check_party(contract: Contract, organisation: Organisation, role: str, existing) -> None:
    if role not in ContractParty.Role.values:
        raise RuleViolation(
            _("A party's role is one of %(roles)s.")
            % {"roles": ", ".join(ContractParty.Role.values)},
            fields={"role": [_("Not a role of a party.")]},
        )
    if organisation.kind not in PARTY_KINDS:
        raise RuleViolation(
            _("Only providers and provider networks are parties to a contract: %(name)s is not.")
            % {"name": organisation.name},
            fields={"organisation": [_("Not a provider or provider network.")]},
        )
    if organisation.id not in _programme_participants(contract.programme):
        raise RuleViolation(
            _(
                "%(name)s does not take part in the programme %(programme)s; add it to the "
                "programme's participants first."
            )
            % {"name": organisation.name, "programme": contract.programme.name},
            fields={"organisation": [_("Not taking part in the programme.")]},
        )
    if any(p.organisation_id == organisation.id for p in existing):
        raise Conflict(
            _("%(name)s is already a party to this contract.") % {"name": organisation.name},
            code="already_a_party",
        )
    # The database allows one lead provider per contract; say so before it refuses.
    lead = next((p for p in existing if p.role == ContractParty.Role.LEAD_PROVIDER), None)
    if role == ContractParty.Role.LEAD_PROVIDER and lead is not None:
        raise RuleViolation(
            _(
                "%(name)s is already the lead provider; a contract has one. Give this party "
                "another role, or remove the current lead first."
            )
            % {"name": lead.organisation.name},
            fields={"role": [_("There is already a lead provider.")]},
        )


def _organisation(organisation_id: int, field: str) -> Organisation:
    try:
        return Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise RuleViolation(
            _("No organisation has the id %(id)s.") % {"id": organisation_id},
            fields={field: [_("Unknown organisation.")]},
        ) from None


# --- contracts ---------------------------------------------------------------------------


@transaction.atomic
def create_contract(
    *,
    actor,
    acting_for: Organisation,
    programme: Programme,
    reference: str = "",
    parties: Iterable[dict] = (),
    **terms,
) -> Contract:
    """A draft contract of the acting purchaser's programme, with its terms as version 1."""
    policies.require_programme_editor(actor, acting_for, programme)
    check_terms(terms)
    contract = Contract.objects.create(
        programme=programme, purchaser=programme.purchaser, reference=reference
    )
    added: list[ContractParty] = []
    for party in parties:
        organisation = _organisation(party.get("organisation"), "parties")
        check_party(contract, organisation, party.get("role"), added)
        added.append(
            ContractParty.objects.create(
                contract=contract, organisation=organisation, role=party["role"]
            )
        )
    version = ContractVersion.objects.create(
        contract=contract,
        number=1,
        change_summary=str(_("First version.")),
        created_by=actor,
        **terms,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="contract.created",
        subject=contract,
        after={
            **snapshot(contract),
            "parties": [[p.organisation_id, p.role] for p in added],
            "terms": terms_of(version),
        },
        purchaser=contract.purchaser,
    )
    return contract


# --- the status machine ------------------------------------------------------------------


def _move(
    *,
    actor,
    acting_for: Organisation,
    contract: Contract,
    move: str,
    verb: str,
    manager_only: bool,
    check=None,
    extra: dict | None = None,
) -> Contract:
    contract = lock_contract(contract)
    if manager_only:
        policies.require_purchaser_manager(actor, acting_for, contract.purchaser)
    else:
        policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    sources, target, _label = TRANSITIONS[move]
    if contract.status not in sources:
        CONTRACT_LIFECYCLE.refuse(
            contract.status, target, allowed_moves=allowed_moves(contract.status)
        )
    if check is not None:
        check(contract)
    before = snapshot(contract)
    now = timezone.now()
    contract.status = target
    contract.status_changed_at = now
    update_fields = ["status", "status_changed_at"]
    if target == Status.SIGNED:
        contract.signed_at = now
        update_fields.append("signed_at")
        # Signing seals every version: from now on they are the record of what was agreed.
        ContractVersion.objects.filter(contract=contract, sealed_at__isnull=True).update(
            sealed_at=now
        )
    contract.save(update_fields=update_fields)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=contract,
        before=before,
        after={**snapshot(contract), **(extra or {})},
        purchaser=contract.purchaser,
    )
    return contract


@transaction.atomic
def start_dialogue(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="start_dialogue",
        verb="contract.dialogue_started",
        manager_only=False,
    )


@transaction.atomic
def start_negotiation(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="start_negotiation",
        verb="contract.negotiation_started",
        manager_only=False,
    )


@transaction.atomic
def finalise_contract(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    """Gated: the UK finding that dialogue must come before the contract is finalised."""

    def gates(locked: Contract) -> None:
        require_gates_passed(
            programme=locked.programme,
            contract=locked,
            decision=_("Finalising this contract"),
        )

    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="finalise",
        verb="contract.finalised",
        manager_only=True,
        check=gates,
    )


@transaction.atomic
def reopen_negotiation(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="reopen_negotiation",
        verb="contract.negotiation_reopened",
        manager_only=True,
    )


def _ready_to_sign(contract: Contract) -> None:
    missing = []
    if not contract.parties.exists():
        missing.append(str(_("at least one provider as a party")))
    if latest_version(contract).period_start is None:
        missing.append(str(_("the start of the period")))
    if missing:
        raise RuleViolation(
            _("A contract is signed only when it has %(missing)s; add them first.")
            % {"missing": str(_(" and ")).join(missing)},
            code="not_ready_to_sign",
        )


@transaction.atomic
def sign_contract(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="sign",
        verb="contract.signed",
        manager_only=True,
        check=_ready_to_sign,
    )


@transaction.atomic
def activate_contract(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="activate",
        verb="contract.activated",
        manager_only=False,
    )


@transaction.atomic
def end_contract(*, actor, acting_for: Organisation, contract: Contract) -> Contract:
    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="end",
        verb="contract.ended",
        manager_only=False,
    )


@transaction.atomic
def terminate_contract(
    *, actor, acting_for: Organisation, contract: Contract, reason: str
) -> Contract:
    """Ending a signed contract before its time; the reason is kept in the Event."""

    def has_reason(_locked: Contract) -> None:
        if not (reason or "").strip():
            raise RuleViolation(
                _("Give the reason for terminating this contract."),
                fields={"reason": [_("This field is required.")]},
            )

    return _move(
        actor=actor,
        acting_for=acting_for,
        contract=contract,
        move="terminate",
        verb="contract.terminated",
        manager_only=True,
        check=has_reason,
        extra={"reason": reason},
    )
