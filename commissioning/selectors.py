"""Every read of the core that a view or job uses: querysets already scoped by the policy
and prefetched for the serializer that shows them."""

from django.db.models import Prefetch, Q, QuerySet

from commissioning import policies
from commissioning.models import Event, Membership, Milestone, Organisation, Programme


def organisation_list(*, person) -> QuerySet[Organisation]:
    return policies.visible_organisations(person).select_related("oversees")


def programme_list(*, person) -> QuerySet[Programme]:
    return (
        policies.visible_programmes(person)
        .select_related("purchaser")
        .prefetch_related(
            Prefetch("participants", queryset=Organisation.objects.order_by("name", "id"))
        )
    )


def programme_get(*, person, programme_id) -> Programme:
    return policies.get_visible(programme_list(person=person), pk=programme_id)


def event_list(*, person) -> QuerySet[Event]:
    return policies.visible_events(person).select_related("actor", "acting_for", "subject_type")


def memberships_of(*, person) -> QuerySet[Membership]:
    return Membership.objects.filter(person=person).select_related("organisation")


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
