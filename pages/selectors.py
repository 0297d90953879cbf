"""The reads the home page and the manager dashboard share: what is open for one purchaser,
each list one query (or a fixed few) through the policy's visible querysets, so a page's
query count does not grow with the number of programmes, milestones or consultations.
"""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from commissioning import policies
from commissioning.models import Milestone, Organisation, Programme
from commissioning.selectors import milestones as milestone_selectors
from dialogue.models import Comment, Consultation
from dialogue.selectors.consultations import consultation_list
from dialogue.selectors.responses import unanswered

MilestoneStatus = Milestone.Status
OPEN_MILESTONE_STATUSES = [MilestoneStatus.PLANNED, MilestoneStatus.MISSED]


def open_milestones(*, person, purchaser: Organisation) -> QuerySet[Milestone]:
    """Milestones of the purchaser still open (planned or missed), with `effective_due`
    annotated, soonest due first."""
    return (
        milestone_selectors.milestone_list(person=person)
        .filter(programme__purchaser=purchaser, status__in=OPEN_MILESTONE_STATUSES)
        .prefetch_related(None)  # the evidence is not shown here
        .order_by("effective_due", "programme__name", "position", "id")
    )


def mark_overdue(milestones, today: datetime.date) -> list[Milestone]:
    """Each milestone gets `.due_on` (its effective due date) and `.overdue`: missed, or
    planned past its due date, the rule of commissioning.selectors.milestones.overdue applied to the
    rows already read. (The database's `effective_due` is a timestamp on PostgreSQL, where
    a date plus an interval is one; the model's property is a date everywhere.)"""
    rows = list(milestones)
    for milestone in rows:
        due = milestone.due_on = milestone.effective_due_date
        milestone.overdue = milestone.status == MilestoneStatus.MISSED or (
            milestone.status == MilestoneStatus.PLANNED and due is not None and due < today
        )
    return rows


def needing_attention(*, person, purchaser: Organisation, limit: int = 10) -> list[Milestone]:
    """Open gating milestones and overdue ones, soonest due first."""
    queryset = open_milestones(person=person, purchaser=purchaser)
    overdue_ids = milestone_selectors.overdue(queryset, True).values("id")
    queryset = queryset.filter(
        Q(gating=True) | Q(status=MilestoneStatus.MISSED) | Q(id__in=overdue_ids)
    )
    return mark_overdue(queryset[:limit], timezone.localdate())


def open_consultations_with_unanswered(
    *, person, purchaser: Organisation
) -> QuerySet[Consultation]:
    """The purchaser's open consultations with `unanswered` and `comment_count` annotated.
    Only for the purchaser's own staff: they read whether a comment is answered at any time
    (policies.may_read_responses); others learn it at the close."""
    return (
        consultation_list(person=person)
        .filter(purchaser=purchaser, status=Consultation.Status.OPEN)
        .prefetch_related(None)
        .annotate(
            unanswered=Count("comments", filter=unanswered("comments__"), distinct=True),
            comment_count=Count(
                "comments",
                filter=Q(comments__status=Comment.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("closes_at", "id")
    )


def programmes_with_milestones(*, person, purchaser: Organisation) -> list[Programme]:
    """The purchaser's programmes, each with `.milestone_rows` (every milestone, with
    `.overdue`) and `.open_gating` (the gating ones still open): two queries in all."""
    today = timezone.localdate()
    milestones = milestone_selectors.milestone_list(person=person).prefetch_related(None)
    programmes = list(
        policies.visible_programmes(person)
        .filter(purchaser=purchaser)
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=milestones.order_by("position", "id"),
                to_attr="milestone_rows",
            )
        )
        .order_by("name", "id")
    )
    for programme in programmes:
        mark_overdue(programme.milestone_rows, today)
        programme.open_gating = [m for m in programme.milestone_rows if m.gating and m.is_open]
        programme.overdue_count = sum(1 for m in programme.milestone_rows if m.overdue)
    return programmes
