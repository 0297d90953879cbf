"""Leaving: a manager or an organisation admin ends a membership. The person keeps their
history and authorship (Events, comments, responses and minutes point at the person, not at
the membership), and loses what the membership gave at once: what a person may see and do is
computed from their memberships on every request (commissioning.standing), whether they come
with a session, an API token or a calendar feed's address. With no membership left they
cannot sign in (accounts.adapters), and the API answers their tokens 401
(commissioning.api.permissions.MembersOnly)."""

from django.db import transaction

from accounts.services.invitations import event_purchaser
from commissioning import policies
from commissioning.errors import NotFound
from commissioning.models import Membership, Organisation
from commissioning.services.events import record_event, snapshot


@transaction.atomic
def end_membership(*, actor, acting_for: Organisation, membership: Membership) -> None:
    # The purchaser's managers are locked together, so that two of them ending each other's
    # membership at the same moment cannot leave it with none (grants.require_may_end).
    list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.MANAGER)
        .values_list("pk", flat=True)
    )
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person", "organisation__oversees")
        .filter(pk=membership.pk)
        .first()
    )
    if membership is None:
        raise NotFound()
    policies.require_may_end(actor, acting_for, membership)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="membership.ended",
        subject=membership,
        before=snapshot(membership),
        purchaser=event_purchaser(membership.organisation),
    )
    person = membership.person
    membership.delete()
    policies.forget_standing(person)
    if actor.pk == person.pk:
        policies.forget_standing(actor)
