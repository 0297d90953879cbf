"""Changing the terms of a contract and its parties. Terms are edited in place while the
contract is worked out, and change by a new version (an amendment) once it is signed; parties
change only before signing. Each service checks its rule through commissioning.policies,
changes the rows and records one Event, all in one transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from contracts.models import Contract, ContractParty, ContractVersion
from contracts.services.contracts import (
    AMENDABLE_STATUSES,
    BEFORE_SIGNING,
    EDITABLE_STATUSES,
    Status,
    check_party,
    check_terms,
    latest_version,
    lock_contract,
)
from contracts.terms import terms_of, terms_of_values


def _merged_terms(version: ContractVersion | None, changes: dict) -> dict:
    terms = terms_of_values(version) if version is not None else {}
    terms.update(changes)
    return terms


def _refuse_after_signing(contract: Contract, what) -> None:
    if contract.signed_at is not None or contract.status not in BEFORE_SIGNING:
        raise Conflict(
            _("This contract is %(status)s; %(what)s only before it is signed.")
            % {"status": contract.get_status_display(), "what": what},
            code="contract_signed",
        )


# --- terms -------------------------------------------------------------------------------


@transaction.atomic
def edit_version(
    *, actor, acting_for: Organisation, version: ContractVersion, **changes
) -> ContractVersion:
    """Edit the terms of the latest version in place, while the contract is worked out."""
    contract = lock_contract(version.contract)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    version = ContractVersion.objects.get(pk=version.pk)
    # "Signed contract versions are never overwritten" (DESIGN.md): refused here with a
    # message; ContractVersion.save() is the last line of defence.
    if version.sealed_at is not None:
        raise Conflict(
            _(
                "Version %(number)s was signed and cannot be changed. Make an amendment "
                "instead: a new version with a change summary."
            )
            % {"number": version.number},
            code="version_sealed",
        )
    latest = latest_version(contract)
    if latest.pk != version.pk:
        raise Conflict(
            _(
                "Version %(number)s is not the latest (that is version %(latest)s); earlier "
                "versions are the record of how the terms evolved. Change the latest one."
            )
            % {"number": version.number, "latest": latest.number},
            code="version_not_latest",
        )
    _require_editable(contract)
    return _edit_in_place(actor, acting_for, contract, version, changes)


def _require_editable(contract: Contract) -> None:
    if contract.status not in EDITABLE_STATUSES:
        if contract.status == Status.FINALISED:
            message = _(
                "This contract is finalised: its terms are what will be signed. A manager can "
                "reopen negotiation to change them."
            )
        else:
            message = _("This contract is %(status)s; its terms can no longer be edited.") % {
                "status": contract.get_status_display()
            }
        raise Conflict(message, code="terms_not_editable")


def _edit_in_place(actor, acting_for, contract, version, changes) -> ContractVersion:
    change_summary = changes.pop("change_summary", None)
    if not changes and change_summary is None:
        raise RuleViolation(
            _("Nothing to change: send the terms to change."), code="nothing_to_change"
        )
    terms = _merged_terms(version, changes)
    check_terms(terms)
    before = terms_of(version)
    for name, value in changes.items():
        setattr(version, name, value)
    if change_summary is not None:
        version.change_summary = change_summary
    version.save()
    # The contract is the subject of every contract Event, so that one query gives its trail.
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="contract.terms_edited",
        subject=contract,
        before={"number": version.number, **before},
        after={"number": version.number, **terms_of(version)},
        purchaser=contract.purchaser,
    )
    return version


def _add_version(actor, acting_for, contract, change_summary, changes) -> ContractVersion:
    """The latest terms with the changes, as the next version; after signing, an amendment,
    sealed at once because it is part of what was signed."""
    if not (change_summary or "").strip():
        raise RuleViolation(
            _("Say what changes in this version: a change summary is required."),
            fields={"change_summary": [_("This field is required.")]},
        )
    previous = latest_version(contract)
    terms = _merged_terms(previous, changes)
    check_terms(terms)
    signed = contract.signed_at is not None
    if signed and terms == terms_of_values(previous):
        raise RuleViolation(
            _("This amendment changes no term; send the terms that change."),
            code="nothing_to_change",
        )
    version = ContractVersion.objects.create(
        contract=contract,
        number=previous.number + 1,
        change_summary=change_summary,
        is_amendment=signed,
        sealed_at=timezone.now() if signed else None,
        created_by=actor,
        **terms,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="contract.amended" if signed else "contract.version_created",
        subject=contract,
        before={"number": previous.number, **terms_of(previous)},
        after={
            "number": version.number,
            "change_summary": version.change_summary,
            **terms_of(version),
        },
        purchaser=contract.purchaser,
    )
    return version


@transaction.atomic
def create_version(
    *, actor, acting_for: Organisation, contract: Contract, change_summary: str = "", **changes
) -> ContractVersion:
    """A new numbered version: the latest terms with the changes. After signing this is an
    amendment."""
    contract = lock_contract(contract)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    if contract.status not in AMENDABLE_STATUSES:
        _require_editable(contract)
    return _add_version(actor, acting_for, contract, change_summary, changes)


@transaction.atomic
def change_terms(
    *,
    actor,
    acting_for: Organisation,
    contract: Contract,
    change_summary: str | None = None,
    **changes,
) -> ContractVersion:
    """Change the current terms: in place before signing, as an amendment after."""
    contract = lock_contract(contract)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    if contract.status in AMENDABLE_STATUSES:
        return _add_version(actor, acting_for, contract, change_summary, changes)
    _require_editable(contract)
    if change_summary is not None:
        changes["change_summary"] = change_summary
    return _edit_in_place(actor, acting_for, contract, latest_version(contract), changes)


# --- parties -----------------------------------------------------------------------------


@transaction.atomic
def add_party(
    *, actor, acting_for: Organisation, contract: Contract, organisation: Organisation, role: str
) -> ContractParty:
    contract = lock_contract(contract)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    _refuse_after_signing(contract, _("parties are added"))
    existing = list(contract.parties.select_related("organisation"))
    check_party(contract, organisation, role, existing)
    party = ContractParty.objects.create(contract=contract, organisation=organisation, role=role)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="contract.party_added",
        subject=contract,
        after=snapshot(party),
        purchaser=contract.purchaser,
    )
    return party


@transaction.atomic
def remove_party(*, actor, acting_for: Organisation, party: ContractParty) -> None:
    contract = lock_contract(party.contract)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    _refuse_after_signing(contract, _("parties are removed"))
    if contract.obligations.filter(owed_by=party.organisation_id).exists():
        raise Conflict(
            _(
                "%(name)s owes obligations under this contract; give them to another "
                "organisation or delete them before removing the party."
            )
            % {"name": party.organisation.name},
            code="party_owes_obligations",
        )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="contract.party_removed",
        subject=contract,
        before=snapshot(party),
        purchaser=contract.purchaser,
    )
    party.delete()
