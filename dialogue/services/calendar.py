"""Writes of a person's calendar feed: creating it and resetting its secret address."""

from django.db import transaction
from django.utils import timezone

from commissioning.services.events import record_event, snapshot
from dialogue.models import CalendarFeed, new_feed_token


def _feed_state(feed: CalendarFeed) -> dict:
    # The token is a credential: it never goes into the audit trail.
    return snapshot(feed, extra={"token": "(secret)"})


@transaction.atomic
def get_or_create_calendar_feed(*, actor) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(person=actor).first()
    if feed is not None:
        return feed
    feed = CalendarFeed.objects.create(person=actor)
    # A feed is personal, not a purchaser's data: the Event carries no purchaser.
    record_event(
        actor=actor,
        acting_for=None,
        verb="calendar_feed.created",
        subject=feed,
        after=_feed_state(feed),
        purchaser=None,
    )
    return feed


@transaction.atomic
def reset_calendar_feed(*, actor) -> CalendarFeed:
    """A new token, so that a leaked address stops working at once (the old one answers 404)."""
    feed = CalendarFeed.objects.select_for_update().filter(person=actor).first()
    if feed is None:
        feed = CalendarFeed.objects.create(person=actor)
        before = None
    else:
        before = _feed_state(feed)
        feed.token = new_feed_token()
    feed.reset_at = timezone.now()
    feed.save()
    record_event(
        actor=actor,
        acting_for=None,
        verb="calendar_feed.reset",
        subject=feed,
        before=before,
        after=_feed_state(feed),
        purchaser=None,
    )
    return feed
