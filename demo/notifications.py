"""The demo's notifications: each purchaser's manager and one provider per country are told
of the latest approved minutes of their meetings (made through notify, as the occasion
does; a person the occasion already told keeps that one notice), the oldest read, so that
the header shows an unread count and the list both states on `make demo`."""

from dialogue.models import Meeting
from notifications.models import Notice
from notifications.occasions.meetings import meeting_path
from notifications.services.notify import notify
from notifications.services.reading import mark_read

LATEST = 3


def tell_of_latest_minutes(*, people, tellings) -> int:
    """`tellings`: (purchaser, [usernames]) pairs. How many notices were made."""
    made = 0
    for purchaser, usernames in tellings:
        meetings = list(
            Meeting.objects.filter(purchaser=purchaser, status=Meeting.Status.MINUTES_APPROVED)
            .select_related("purchaser", "arena", "programme")
            .order_by("-starts_at")[:LATEST]
        )
        for username in usernames:
            person, organisation = people.logins[username]
            for meeting in reversed(meetings):
                made += len(
                    notify(
                        kind="minutes_approved",
                        subject=meeting,
                        recipients=[(person, organisation)],
                        occasion=f"minutes-approved:{meeting.pk}",
                        url=meeting_path(meeting),
                    )
                )
            oldest = Notice.objects.filter(person=person).order_by("created_at", "pk").first()
            if oldest is not None:
                mark_read(person=person, notice_id=oldest.pk)
    return made
