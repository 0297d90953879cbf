"""Reads of organisations, memberships and the Event log, scoped by the policy."""

from django.db.models import QuerySet

from commissioning import policies
from commissioning.models import Event, Membership, Organisation


def organisation_list(*, person) -> QuerySet[Organisation]:
    return policies.visible_organisations(person).select_related("oversees")


def event_list(*, person) -> QuerySet[Event]:
    return policies.visible_events(person).select_related("actor", "acting_for", "subject_type")


def memberships_of(*, person) -> QuerySet[Membership]:
    return Membership.objects.filter(person=person).select_related("organisation")
