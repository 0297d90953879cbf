"""Every read of the core that a view or job uses: querysets already scoped by the policy
and prefetched for the serializer that shows them."""

from django.db.models import Prefetch, QuerySet

from commissioning import policies
from commissioning.models import Event, Membership, Organisation, Programme


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
