"""Every write of obligations, the duties under a contract. Each service checks its rule
through commissioning.policies, changes the rows and records one Event, all in one
transaction. The due dates of an obligation: contracts.occurrences."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from contracts.models import Contract, Obligation, ObligationFulfilment
from contracts.occurrences import is_occurrence, occurrences, occurrences_between

Status = Contract.Status


def _check_obligation(contract: Contract, owed_by: Organisation, cadence, first_due, until):
    parties = set(contract.parties.values_list("organisation_id", flat=True))
    if owed_by.id != contract.purchaser_id and owed_by.id not in parties:
        raise RuleViolation(
            _(
                "%(name)s is neither the purchaser nor a party to this contract; an obligation "
                "is owed by one of them."
            )
            % {"name": owed_by.name},
            fields={"owed_by": [_("Not the purchaser or a party.")]},
        )
    if cadence not in Obligation.Cadence.values:
        raise RuleViolation(
            _("The cadence is one of %(cadences)s.")
            % {"cadences": ", ".join(Obligation.Cadence.values)},
            fields={"cadence": [_("Not a cadence.")]},
        )
    if until is not None and cadence == Obligation.Cadence.ONCE:
        raise RuleViolation(
            _("A one-off obligation has a due date only; leave 'until' empty."),
            fields={"until": [_("Only for a cadence.")]},
        )
    if until is not None and until < first_due:
        raise RuleViolation(
            _("The series ends (%(until)s) before its first due date (%(first)s).")
            % {"until": until, "first": first_due},
            fields={"until": [_("Must be on or after the first due date.")]},
        )


@transaction.atomic
def create_obligation(
    *,
    actor,
    acting_for: Organisation,
    contract: Contract,
    title: str,
    owed_by: Organisation,
    first_due: datetime.date,
    cadence: str = Obligation.Cadence.ONCE,
    until: datetime.date | None = None,
    description: str = "",
) -> Obligation:
    # The contract row is locked so that a party cannot be removed while it is given a duty.
    contract = Contract.objects.select_for_update().select_related("purchaser").get(pk=contract.pk)
    policies.require_purchaser_staff(actor, acting_for, contract.purchaser)
    if contract.status in {Status.ENDED, Status.TERMINATED}:
        raise Conflict(
            _("This contract is %(status)s; it takes no new obligations.")
            % {"status": contract.get_status_display()},
            code="contract_closed",
        )
    _check_obligation(contract, owed_by, cadence, first_due, until)
    obligation = Obligation.objects.create(
        contract=contract,
        title=title,
        description=description,
        owed_by=owed_by,
        cadence=cadence,
        first_due=first_due,
        until=until,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="obligation.created",
        subject=obligation,
        after=snapshot(obligation),
        purchaser=contract.purchaser,
    )
    return obligation


@transaction.atomic
def record_fulfilment(
    *,
    actor,
    acting_for: Organisation,
    obligation: Obligation,
    due: datetime.date,
    fulfilled_on: datetime.date | None = None,
    note: str = "",
) -> ObligationFulfilment:
    obligation = (
        Obligation.objects.select_for_update()
        .select_related("contract__purchaser", "owed_by")
        .get(pk=obligation.pk)
    )
    policies.require_obligation_recorder(actor, acting_for, obligation)
    today = timezone.localdate()
    fulfilled_on = fulfilled_on or today
    if fulfilled_on > today:
        raise RuleViolation(
            _("An obligation is recorded as fulfilled once it is done, not ahead of time."),
            fields={"fulfilled_on": [_("Today or earlier.")]},
        )
    if not is_occurrence(obligation, due):
        near = occurrences_between(obligation, obligation.first_due, due)[-1:] + occurrences(
            obligation, after=due, count=1
        )
        # The whole sentence beside the field too: the page shows the field's problem, and
        # the due dates around it are what the person needs to correct it.
        message = _(
            "%(due)s is not a due date of this obligation; the due dates around it are "
            "%(near)s. Record the fulfilment against one of its due dates."
        ) % {"due": due, "near": str(_(" and ")).join(d.isoformat() for d in near)}
        raise RuleViolation(message, fields={"due": [message]})
    if obligation.fulfilments.filter(due=due).exists():
        raise Conflict(
            _("The occurrence due %(due)s is already recorded as fulfilled.") % {"due": due},
            code="already_fulfilled",
        )
    fulfilment = ObligationFulfilment.objects.create(
        obligation=obligation,
        due=due,
        fulfilled_on=fulfilled_on,
        note=note,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="obligation.fulfilled",
        subject=obligation,
        after=snapshot(fulfilment),
        purchaser=obligation.contract.purchaser,
    )
    return fulfilment
