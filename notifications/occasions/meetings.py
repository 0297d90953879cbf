"""The meetings' notifications: minutes approved → the people present."""

from django.urls import reverse

from commissioning.models import Event
from dialogue.models import Meeting
from notifications.recipients import people
from notifications.services.notify import notify
from notifications.writers import writes
from workers.relay import handles
from workers.selectors.pulses import meeting_participants

MEETING_RELATED = ("purchaser", "arena", "programme")


def purchaser_name(meeting: Meeting) -> str:
    return meeting.purchaser.name


def meeting_path(meeting: Meeting) -> str:
    return reverse("meeting-page", kwargs={"meeting_id": meeting.pk})


@writes(
    "minutes_approved",
    model=Meeting,
    template="notifications/email/minutes_approved",
    sender=purchaser_name,
    select_related=MEETING_RELATED,
)
def minutes_context(meeting: Meeting, notice) -> dict:
    return {"meeting": meeting}


@handles("meeting.minutes_approved")
def tell_minutes_approved(event: Event) -> None:
    """Everyone recorded present, unless the meeting was back-filled (logged long after)."""
    meeting = Meeting.objects.select_related(*MEETING_RELATED).filter(pk=event.subject_id).first()
    if meeting is None or meeting.status != Meeting.Status.MINUTES_APPROVED:
        return
    if meeting.logged_late:
        return
    notify(
        kind="minutes_approved",
        subject=meeting,
        recipients=people(meeting_participants(meeting)),
        occasion=f"minutes-approved:{meeting.pk}",
        url=meeting_path(meeting),
    )
