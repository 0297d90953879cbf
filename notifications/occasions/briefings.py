"""A politician asks for a briefing: the purchaser's commissioning officers are told (its
managers when it has no officer), with a link to the programme's briefing page where they
order it. The politician who asked is never told of their own request. Everyone told is the
purchaser's staff, who read its briefings and requests (commissioning.policies)."""

from django.urls import reverse

from commissioning.models import Event, Membership
from notifications.services.notify import notify
from notifications.writers import writes
from workers.mail import people_of
from workers.models import BriefingRequest
from workers.relay import handles

RELATED = ("programme", "purchaser", "requested_by", "acting_for")


@writes(
    "briefing_requested",
    model=BriefingRequest,
    template="notifications/email/briefing_requested",
    sender=lambda row: row.purchaser.name,
    select_related=RELATED,
)
def briefing_request_context(row: BriefingRequest, notice) -> dict:
    asker = row.requested_by
    return {
        "briefing_request": row,
        "asker": asker.get_full_name() or asker.username if asker else "",
        "body": row.acting_for.name if row.acting_for else "",
    }


def officers_of(purchaser) -> list[tuple]:
    officers = people_of([purchaser], roles=[Membership.Role.OFFICER])
    return officers or people_of([purchaser], roles=[Membership.Role.MANAGER])


@handles("briefing.requested")
def tell_the_officers(event: Event) -> None:
    row = BriefingRequest.objects.select_related(*RELATED).filter(pk=event.subject_id).first()
    if row is None:
        return
    address = reverse("briefing-programme", args=[row.programme_id])
    notify(
        kind="briefing_requested",
        subject=row,
        recipients=[
            (person, organisation)
            for person, organisation in officers_of(row.purchaser)
            if person.pk != event.actor_id
        ],
        occasion=f"briefing-requested:{row.pk}",
        url=f"{address}?request={row.pk}#order",
    )
