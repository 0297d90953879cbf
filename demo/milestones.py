"""Demo milestones: each programme gets its framework's template (and the English contract
the template's contract steps), some are met with evidence, and one per programme is left
planned past its due date. Built through commissioning.services.milestones. Called
by demo.world.

The target decision dates of the demo programmes are chosen so that the template's offsets
fall where the story needs them (see the command)."""

import datetime

from django.utils import timezone

from commissioning.models import Milestone, MilestoneEvidence
from commissioning.services import milestones as milestone_services
from commissioning.services.evidence import add_evidence

Evidence = MilestoneEvidence.Kind


def _by_title(created: list[Milestone], start: str) -> Milestone:
    return next(m for m in created if m.title.startswith(start))


def _met(actor, purchaser, milestone: Milestone, *, meeting=None, link=None) -> None:
    """Met on the day of the meeting that shows it, else on its due date."""
    if meeting is not None:
        met_on = timezone.localdate(meeting.starts_at)
    else:
        met_on = min(milestone.effective_due_date or timezone.localdate(), timezone.localdate())
    milestone_services.mark_met(
        actor=actor, acting_for=purchaser, milestone=milestone, met_on=met_on
    )
    if meeting is not None:
        add_evidence(
            actor=actor,
            acting_for=purchaser,
            milestone=milestone,
            kind=Evidence.MEETING,
            title=meeting.title,
            subject_type="dialogue.meeting",
            subject_id=str(meeting.pk),
        )
    if link is not None:
        title, url = link
        add_evidence(
            actor=actor,
            acting_for=purchaser,
            milestone=milestone,
            kind=Evidence.LINK,
            title=title,
            url=url,
        )


def swedish_milestones(*, officer, region, programme, meetings) -> list[Milestone]:
    """Intentions shared and needs dialogue held (met, with the council meetings). The
    consultation milestones are met later, with the consultation (`swedish_consultation_met`)."""
    created = milestone_services.apply_template(
        actor=officer, acting_for=region, programme=programme
    )
    _met(officer, region, _by_title(created, "Share intentions"), meeting=meetings[0])
    _met(officer, region, _by_title(created, "Needs dialogue"), meeting=meetings[1])
    return created


def swedish_consultation_met(
    *, officer, region, milestones, consultation, closed_on, answered_on, adopted_on
) -> None:
    """The two gating milestones of the Swedish template, met with the first consultation as
    evidence, so that version 1 can be adopted (the gate of the UK finding holds: they are
    met, not waived). The overdue Swedish milestone is then the announcement of the adopted
    rulebook: the region promised it within two weeks of the adoption and has not done it."""
    for start, met_on in (
        ("Draft rulebook consultation", closed_on),
        ("Every comment", answered_on),
    ):
        milestone = _by_title(milestones, start)
        milestone_services.mark_met(
            actor=officer, acting_for=region, milestone=milestone, met_on=met_on
        )
        add_evidence(
            actor=officer,
            acting_for=region,
            milestone=milestone,
            kind=Evidence.CONSULTATION,
            title=consultation.title,
            subject_type="dialogue.consultation",
            subject_id=str(consultation.pk),
        )
    milestone_services.update_milestone(
        actor=officer,
        acting_for=region,
        milestone=_by_title(milestones, "Rulebook announced"),
        due_date=adopted_on + datetime.timedelta(days=14),
    )


def english_milestones(*, officer, icb, programme, contract, meetings) -> list[Milestone]:
    """Stakeholder engagement and clinical governance met; pathway-development terms still
    open and overdue, which is what stops the contract from being finalised."""
    created = milestone_services.apply_template(actor=officer, acting_for=icb, programme=programme)
    created += milestone_services.apply_template(
        actor=officer, acting_for=icb, programme=programme, contract=contract
    )
    _met(officer, icb, _by_title(created, "Stakeholder engagement"), meeting=meetings[1])
    _met(officer, icb, _by_title(created, "Clinical-governance"), meeting=meetings[3])
    return created


def norwegian_milestones(*, manager, municipality, programme, meetings) -> list[Milestone]:
    """Every area of § 6-2 whose date has passed is agreed, except local ICT solutions, which
    is overdue."""
    created = milestone_services.apply_template(
        actor=manager, acting_for=municipality, programme=programme
    )
    today = timezone.localdate()
    for milestone in created:
        due = milestone.effective_due_date
        if due is None or due >= today or milestone.title.startswith("Local ICT"):
            continue
        evidence = meetings[1] if milestone.title.startswith("Guidelines for discharge") else None
        _met(manager, municipality, milestone, meeting=evidence)
    return created
