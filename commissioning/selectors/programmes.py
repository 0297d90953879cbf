"""Every read of the core that a view or job uses: querysets already scoped by the policy
and prefetched for the serializer that shows them."""

from django.db.models import Prefetch, QuerySet

from commissioning import policies
from commissioning.models import Organisation, Programme


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
