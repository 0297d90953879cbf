"""Reads for the calendar files: a meeting with what its invitation needs, a person's feed of
meetings, and the feed a token opens."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from commissioning import policies
from commissioning.models import Membership
from dialogue.models import CalendarFeed, Invitation, Meeting


def _with_calendar_data(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("purchaser", "arena", "programme").prefetch_related(
        Prefetch(
            "invitations",
            queryset=Invitation.objects.select_related("person").order_by("id"),
        )
    )


def meeting_for_calendar(*, person, meeting_id) -> Meeting:
    return policies.get_visible(
        _with_calendar_data(policies.visible_meetings(person)), pk=meeting_id
    )


def feed_meetings(*, person) -> QuerySet[Meeting]:
    """Every meeting the person is invited to, by name or through an organisation they are a
    member of, that the policy lets them see (a lost membership takes the meetings out of
    the feed at the next refresh). Cancelled ones stay in, marked cancelled."""
    organisations = Membership.objects.filter(person=person).values("organisation_id")
    invited = Invitation.objects.filter(Q(person=person) | Q(organisation__in=organisations))
    return _with_calendar_data(
        policies.visible_meetings(person)
        .filter(id__in=invited.values("meeting_id"))
        .order_by("starts_at", "id")
    )


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed a token opens; the token is the credential, so an unknown (or reset) token,
    a deactivated person and a person with no membership left (who cannot sign in either)
    answer the same: nothing."""
    return (
        CalendarFeed.objects.select_related("person")
        .filter(token=token, person__is_active=True)
        .filter(Exists(Membership.objects.filter(person=OuterRef("person"))))
        .first()
    )


def feed_of(*, person) -> CalendarFeed | None:
    """The person's own feed, if they have made one."""
    return CalendarFeed.objects.filter(person=person).first()
