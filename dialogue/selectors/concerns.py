"""Reads of concerns: the concerns a person may see, which are overdue, and whether two
organisations have a relationship a concern can be raised in. The writes are in
dialogue/services/concerns.py."""

import datetime

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from commissioning import policies
from commissioning.models import Organisation, Participation
from contracts.models import ContractParty
from dialogue.models import Concern

Status = Concern.Status
OPEN_STATUSES = (Status.RAISED, Status.ACKNOWLEDGED, Status.DISCUSSED)


def with_overdue(queryset: QuerySet[Concern], today: datetime.date | None = None):
    """Annotate `is_overdue`: still not acknowledged after its reply-by date."""
    today = today or timezone.localdate()
    return queryset.annotate(
        is_overdue=Case(
            When(status=Status.RAISED, reply_by__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def concern_list(*, person) -> QuerySet[Concern]:
    return with_overdue(
        policies.visible_concerns(person).select_related(
            "purchaser",
            "raised_by",
            "raised_with",
            "programme",
            "discussed_at",
            "raised_by_person",
        )
    )


def concern_get(*, person, concern_id) -> Concern:
    return policies.get_visible(concern_list(person=person), pk=concern_id)


def in_relationship(purchaser: Organisation, other: Organisation) -> bool:
    """A purchaser and a provider (or network) have a relationship when the other is party to
    one of the purchaser's contracts or takes part in one of its programmes."""
    return (
        ContractParty.objects.filter(contract__purchaser=purchaser, organisation=other).exists()
        or Participation.objects.filter(programme__purchaser=purchaser, organisation=other).exists()
    )
