"""Reads of the memberships of the organisations a person looks after (commissioning.grants:
a manager those of the purchaser and its political bodies, an organisation admin those of
the organisation); any other membership answers as if it did not exist."""

from django.db.models import QuerySet

from commissioning import policies
from commissioning.models import Membership, Organisation


def administered_memberships(
    *, person, acting_for: Organisation | None = None
) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            organisation__in=policies.administered_organisations(person, acting_for).values("id")
        )
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__last_name", "person__first_name", "id")
    )


def membership_get(*, person, membership_id) -> Membership:
    return policies.get_visible(administered_memberships(person=person), pk=membership_id)


def admins_of(organisation: Organisation) -> QuerySet[Membership]:
    """Whom to ask: the organisation's admins (a provider's or network's), else the managers
    of the purchaser (a purchaser's, or the one a political body oversees)."""
    if organisation.kind == Organisation.Kind.POLITICAL_BODY and organisation.oversees_id:
        return Membership.objects.filter(
            organisation_id=organisation.oversees_id, role=Membership.Role.MANAGER
        ).select_related("person")
    if organisation.kind == Organisation.Kind.PURCHASER:
        return Membership.objects.filter(
            organisation=organisation, role=Membership.Role.MANAGER
        ).select_related("person")
    return Membership.objects.filter(organisation=organisation, is_admin=True).select_related(
        "person"
    )
