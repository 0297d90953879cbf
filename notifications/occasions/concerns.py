"""The concerns' notifications: raised, acknowledged and resolved tell the other party.

- raised → the people of the organisation it is raised with: a purchaser's staff (managers
  and officers) when a provider or network raises it, the provider's (or network's)
  representatives when the purchaser does;
- acknowledged → the person who raised it and their organisation's people;
- resolved → the side that did not resolve it: the person who raised it and their
  organisation's people when the other side resolves it, the other side's people when the
  side that raised it does (nobody is told what they did themselves).

The person who acted is never told. One notice per person and occasion, keyed by the verb
and the concern ("concern-acknowledged:12:42"). Everyone told is a side of the concern, who
reads it (commissioning.policies.visible_concerns); the email names the organisations, not
the person who raised it."""

from django.urls import reverse

from commissioning.models import Event
from dialogue.models import Concern
from notifications.services.notify import notify
from notifications.writers import writes
from workers.mail import people_of
from workers.relay import handles

CONCERN_RELATED = ("purchaser", "raised_by", "raised_with")
ACTIONS = {
    "concern.raised": "raised",
    "concern.acknowledged": "acknowledged",
    "concern.resolved": "resolved",
}


def concern_path(concern: Concern) -> str:
    """The concern's page (dialogue/web/concerns.py), which both sides read."""
    return reverse("concern-page", kwargs={"concern_id": concern.pk})


def action_of(notice) -> str:
    """The occasion a notice is about, from its key ("concern-resolved:12:42"): the concern
    may have moved on by the time its email is written."""
    return notice.key.split(":", 1)[0].removeprefix("concern-")


@writes(
    "concern",
    model=Concern,
    template="notifications/email/concern",
    sender=lambda concern: concern.purchaser.name,
    select_related=CONCERN_RELATED,
)
def concern_context(concern: Concern, notice) -> dict:
    return {"concern": concern, "action": action_of(notice)}


def raiser_side(concern: Concern) -> list[tuple]:
    """The people of the organisation that raised the concern: the person who raised it
    among them while they still speak for it (someone who has left no longer reads the
    concern, so is not told)."""
    return people_of([concern.raised_by])


def recipients_of(concern: Concern, action: str, acting_for_id: int | None) -> list[tuple]:
    if action == "raised":
        return people_of([concern.raised_with])
    if action == "resolved" and acting_for_id == concern.raised_by_id:
        return people_of([concern.raised_with])
    return raiser_side(concern)


@handles(*ACTIONS)
def tell_the_other_side(event: Event) -> None:
    concern = Concern.objects.select_related(*CONCERN_RELATED).filter(pk=event.subject_id).first()
    if concern is None:
        return
    action = ACTIONS[event.verb]
    recipients = [
        (person, organisation)
        for person, organisation in recipients_of(concern, action, event.acting_for_id)
        if person.pk != event.actor_id
    ]
    notify(
        kind="concern",
        subject=concern,
        recipients=recipients,
        occasion=f"concern-{action}:{concern.pk}",
        url=concern_path(concern),
    )
