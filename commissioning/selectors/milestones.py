"""Reads of milestones and templates: querysets scoped by the policy, with each milestone's
effective due date (absolute, or relative to the programme's target decision date)."""

import datetime

from django.db.models import (
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning import policies
from commissioning.models import (
    Milestone,
    MilestoneEvidence,
    MilestoneTemplate,
    MilestoneTemplateStep,
    Programme,
)

Status = Milestone.Status


def effective_due_date_expression():
    """The due date in the database: the absolute date, or the programme's target decision
    date moved by the offset, so that lists can be filtered on it."""
    relative = ExpressionWrapper(
        F("programme__target_decision_date")
        + ExpressionWrapper(
            F("due_offset_days") * Value(datetime.timedelta(days=1)),
            output_field=DurationField(),
        ),
        output_field=DateField(),
    )
    return Coalesce(F("due_date"), relative, output_field=DateField())


def milestone_list(*, person) -> QuerySet[Milestone]:
    return (
        policies.visible_milestones(person)
        .select_related("programme", "contract")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=MilestoneEvidence.objects.select_related("subject_type").order_by(
                    "created_at", "id"
                ),
            )
        )
        .annotate(effective_due=effective_due_date_expression())
    )


def overdue(queryset: QuerySet[Milestone], value: bool) -> QuerySet[Milestone]:
    """Past-due planned milestones; workers mark them missed later."""
    today = timezone.localdate()
    if value:
        return queryset.filter(status=Status.PLANNED, effective_due__lt=today)
    # Spelt out rather than exclude(): a milestone without a due date is never overdue.
    return queryset.filter(
        ~Q(status=Status.PLANNED) | Q(effective_due__isnull=True) | Q(effective_due__gte=today)
    )


def milestone_get(*, person, milestone_id) -> Milestone:
    return policies.get_visible(milestone_list(person=person), pk=milestone_id)


def evidence_document_get(*, person, milestone_id, evidence_id) -> MilestoneEvidence:
    """An uploaded evidence document of a milestone the person sees (NotFound otherwise, and
    for evidence without a document)."""
    milestone = milestone_get(person=person, milestone_id=milestone_id)
    return policies.get_visible(milestone.evidence.exclude(document=""), pk=evidence_id)


def template_list() -> QuerySet[MilestoneTemplate]:
    """Templates are not confidential: they are the published plan of each framework."""
    return MilestoneTemplate.objects.prefetch_related(
        Prefetch("steps", queryset=MilestoneTemplateStep.objects.order_by("position"))
    )


def open_gating_milestones(*, programme: Programme, contract=None) -> QuerySet[Milestone]:
    """Gating milestones still open (planned or missed) that stand in the way of a decision:
    the programme's own, and the contract's when a contract decision is asked for."""
    scope = Q(contract__isnull=True)
    if contract is not None:
        scope |= Q(contract=contract)
    return (
        Milestone.objects.filter(
            programme=programme,
            gating=True,
            status__in=[Milestone.Status.PLANNED, Milestone.Status.MISSED],
        )
        .filter(scope)
        .select_related("programme")
        .order_by("position", "id")
    )
