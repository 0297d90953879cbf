"""Early-dialogue milestones: the writes (services) and reads (selectors) of milestones and
their templates.

Milestones exist because of the findings in DESIGN.md: providers want to be heard before the
purchaser decides (Vårdföretagarna 2015), and an integrated service needs dialogue before its
contract is finalised (BMJ Open 2020;10:e040267). A gating milestone blocks the decision
until it is met, or until a manager waives it with a written reason.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import (
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    MilestoneTemplateStep,
    Organisation,
    Programme,
)
from commissioning.selectors.milestones import open_gating_milestones
from commissioning.services.events import record_event, snapshot

Status = Milestone.Status
AppliesTo = MilestoneTemplateStep.AppliesTo


EDITABLE_FIELDS = {
    "title",
    "description",
    "rationale",
    "kind",
    "gating",
    "due_date",
    "due_offset_days",
    "position",
}


def _today() -> datetime.date:
    return timezone.localdate()


def _check_contract(programme: Programme, contract):
    if contract is not None and contract.programme_id != programme.id:
        raise RuleViolation(
            _("Contract %(contract)s belongs to another programme; choose one of %(programme)s.")
            % {"contract": contract.pk, "programme": programme.name},
            fields={"contract": [_("Not a contract of this programme.")]},
        )


def _check_due(due_date, due_offset_days) -> None:
    if due_date is not None and due_offset_days is not None:
        raise RuleViolation(
            _(
                "Give either an absolute due date or a number of days from the target "
                "decision date, not both."
            ),
            fields={
                "due_date": [
                    _("Leave empty when a number of days from the target decision date is given.")
                ]
            },
        )


def _state(milestone: Milestone) -> dict:
    return snapshot(milestone, extra={"effective_due_date": milestone.effective_due_date})


# --- templates --------------------------------------------------------------------------


@transaction.atomic
def apply_template(
    *, actor, acting_for: Organisation, programme: Programme, contract=None
) -> list[Milestone]:
    """Create the milestones of the programme's framework template: the programme's own
    steps, or, when a contract is given, the steps that apply to a contract."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    policies.require_programme_editor(actor, acting_for, programme)
    _check_contract(programme, contract)
    template = (
        MilestoneTemplate.objects.filter(framework=programme.framework)
        .prefetch_related("steps")
        .first()
    )
    if template is None:
        raise RuleViolation(
            _(
                "There is no milestone template for the framework %(framework)s; ask an "
                "administrator to add one, or add the milestones one by one."
            )
            % {"framework": programme.get_framework_display()},
            code="no_template",
        )
    scope = AppliesTo.CONTRACT if contract is not None else AppliesTo.PROGRAMME
    steps = [step for step in template.steps.all() if step.applies_to == scope]
    if not steps:
        raise RuleViolation(
            _("The template %(template)s has no steps for a %(scope)s.")
            % {"template": template.shown_name, "scope": AppliesTo(scope).label.lower()},
            code="no_template_steps",
        )
    already = Milestone.objects.filter(
        programme=programme, contract=contract, template_step__template=template
    )
    if already.exists():
        raise Conflict(
            _(
                "The template %(template)s was already applied here. Edit, move or add "
                "milestones instead of applying it again."
            )
            % {"template": template.shown_name},
            code="template_already_applied",
        )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            programme=programme,
            contract=contract,
            template_step=step,
            position=step.position,
            title=step.title,
            description=step.description,
            rationale=step.rationale,
            kind=step.kind,
            gating=step.gating,
            # Relative, so that moving the target decision date moves the whole plan.
            due_offset_days=step.offset_days,
        )
        for step in steps
    )
    subject = contract if contract is not None else programme
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone_template.applied",
        subject=subject,
        after={
            "template": template.id,
            "programme": programme.id,
            "contract": contract.pk if contract is not None else None,
            "milestones": [m.pk for m in milestones],
        },
        purchaser=programme.purchaser,
    )
    return milestones


# --- milestones -------------------------------------------------------------------------


@transaction.atomic
def create_milestone(
    *,
    actor,
    acting_for: Organisation,
    programme: Programme,
    title: str,
    kind: str,
    contract=None,
    description: str = "",
    rationale: str = "",
    gating: bool = False,
    due_date: datetime.date | None = None,
    due_offset_days: int | None = None,
    position: int | None = None,
) -> Milestone:
    policies.require_programme_editor(actor, acting_for, programme)
    _check_contract(programme, contract)
    _check_due(due_date, due_offset_days)
    if kind not in MilestoneKind.values:
        raise RuleViolation(
            _("Unknown milestone kind; use one of: %(kinds)s.")
            % {"kinds": ", ".join(MilestoneKind.values)},
            fields={"kind": [_("Not a milestone kind.")]},
        )
    if position is None:
        last = (
            Milestone.objects.filter(programme=programme, contract=contract)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = (last or 0) + 1
    milestone = Milestone.objects.create(
        programme=programme,
        contract=contract,
        title=title,
        kind=kind,
        description=description,
        rationale=rationale,
        gating=gating,
        due_date=due_date,
        due_offset_days=due_offset_days,
        position=position,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone.created",
        subject=milestone,
        after=_state(milestone),
        purchaser=programme.purchaser,
    )
    return milestone


def lock_milestone(milestone: Milestone) -> Milestone:
    return (
        Milestone.objects.select_for_update()
        .select_related("programme__purchaser")
        .get(pk=milestone.pk)
    )


@transaction.atomic
def update_milestone(*, actor, acting_for: Organisation, milestone: Milestone, **changes):
    """Edit or move a milestone. Met and waived milestones are closed and stay as they were
    decided; a gate is lifted only by a manager's waiver with a reason, never by editing."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    milestone = lock_milestone(milestone)
    policies.require_programme_editor(actor, acting_for, milestone.programme)
    if milestone.status in {Status.MET, Status.WAIVED}:
        raise Conflict(
            _("This milestone is %(status)s and can no longer be changed; add a new one.")
            % {"status": milestone.get_status_display().lower()},
            code="milestone_closed",
        )
    if milestone.gating and changes.get("gating") is False:
        # The UK finding: the dialogue must come before the contract is finalised. Turning
        # the gate off would be a waiver without a reason.
        raise Conflict(
            _(
                "A gating milestone cannot be made non-gating. If it should not hold up the "
                "decision, a manager waives it with a written reason."
            ),
            code="gate_cannot_be_removed",
            fields={"gating": [_("Ask a manager to waive the milestone instead.")]},
        )
    if "kind" in changes and changes["kind"] not in MilestoneKind.values:
        raise RuleViolation(
            _("Unknown milestone kind; use one of: %(kinds)s.")
            % {"kinds": ", ".join(MilestoneKind.values)},
            fields={"kind": [_("Not a milestone kind.")]},
        )
    before = _state(milestone)
    # Moving to an absolute date drops the relative one, and the other way round.
    if changes.get("due_date") is not None and "due_offset_days" not in changes:
        changes["due_offset_days"] = None
    if changes.get("due_offset_days") is not None and "due_date" not in changes:
        changes["due_date"] = None
    _check_due(changes.get("due_date"), changes.get("due_offset_days"))
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.save()
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone.updated",
        subject=milestone,
        before=before,
        after=_state(milestone),
        purchaser=milestone.programme.purchaser,
    )
    return milestone


def _require_open(milestone: Milestone, action) -> None:
    if not milestone.is_open:
        raise Conflict(
            _("This milestone is already %(status)s, so it cannot be %(action)s.")
            % {"status": milestone.get_status_display().lower(), "action": action},
            code="milestone_closed",
        )


@transaction.atomic
def mark_met(
    *,
    actor,
    acting_for: Organisation,
    milestone: Milestone,
    met_on: datetime.date | None = None,
) -> Milestone:
    milestone = lock_milestone(milestone)
    policies.require_programme_editor(actor, acting_for, milestone.programme)
    _require_open(milestone, _("marked met"))
    met_on = met_on or _today()
    if met_on > _today():
        raise RuleViolation(
            _("A milestone is met on a day that has come; give today or an earlier date."),
            fields={"met_on": [_("In the future.")]},
        )
    before = _state(milestone)
    milestone.status = Status.MET
    milestone.met_on = met_on
    milestone.save(update_fields=["status", "met_on", "updated_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone.met",
        subject=milestone,
        before=before,
        after=_state(milestone),
        purchaser=milestone.programme.purchaser,
    )
    return milestone


@transaction.atomic
def waive(*, actor, acting_for: Organisation, milestone: Milestone, reason: str) -> Milestone:
    """Only a manager waives, and only with a written reason that stays in the audit trail:
    a gate that protects early dialogue is not lifted silently (BMJ Open 2020;10:e040267)."""
    milestone = lock_milestone(milestone)
    policies.require_purchaser_manager(actor, acting_for, milestone.programme.purchaser)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _("Write why the milestone is waived; the reason is kept in the audit trail."),
            fields={"reason": [_("Required; it may not be blank.")]},
            code="waiver_reason_missing",
        )
    _require_open(milestone, _("waived"))
    before = _state(milestone)
    milestone.status = Status.WAIVED
    milestone.waiver_reason = reason
    milestone.waived_by = actor
    milestone.save(update_fields=["status", "waiver_reason", "waived_by", "updated_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="milestone.waived",
        subject=milestone,
        before=before,
        after=_state(milestone) | {"reason": reason},
        purchaser=milestone.programme.purchaser,
    )
    return milestone


# --- selectors --------------------------------------------------------------------------


@transaction.atomic
def mark_milestone_missed(*, milestone: Milestone, today: datetime.date) -> Milestone | None:
    """A planned milestone whose due date has passed becomes missed, with an Event written
    by no one (the system) for the purchaser. A missed gating milestone still holds up the
    decision (Milestone.is_open): only meeting it, or a manager's waiver, lifts the gate.

    Returns the milestone, or None when there is nothing to do (no longer planned, or not
    past due any more, since another change came first): a job may run twice."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("programme__purchaser")
        .get(pk=milestone.pk)
    )
    due = milestone.effective_due_date
    if milestone.status != Milestone.Status.PLANNED or due is None or due >= today:
        return None
    before = snapshot(milestone)
    milestone.status = Milestone.Status.MISSED
    milestone.save(update_fields=["status", "updated_at"])
    record_event(
        actor=None,
        acting_for=None,
        verb="milestone.missed",
        subject=milestone,
        before=before,
        after=snapshot(milestone, extra={"due": due}),
        purchaser=milestone.programme.purchaser,
    )
    return milestone


def require_gates_passed(*, programme: Programme, contract=None, decision: str) -> None:
    """Refuse a gated decision (finalising a contract, adopting a rulebook version) while a
    gating milestone is open: the UK finding that dialogue must come *before* the contract
    is finalised. A manager may waive a milestone, with a written reason."""
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
            "titles": "; ".join(str(m.shown_title) for m in blocking),
        },
        code="gating_milestones_open",
        details={
            "open_milestones": [
                {
                    "id": m.id,
                    "title": str(m.shown_title),
                    "status": m.status,
                    "due_date": m.effective_due_date.isoformat() if m.effective_due_date else None,
                }
                for m in blocking
            ]
        },
    )
