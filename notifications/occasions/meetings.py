"""The meetings' notifications:

- meeting planned / changed / cancelled → each person invited by name, and for an
  organisation invited without named people the people who speak for it
  (workers.mail.people_of); each email carries the meeting as iCalendar (METHOD:REQUEST with
  the meeting's SEQUENCE, METHOD:CANCEL once cancelled), its attendees only those whose
  addresses the recipient may see (policies.visible_addresses). Only a planned meeting that
  has not started sends invitations: a meeting logged after the fact sends none.
- minutes approved → the people present;
- action assigned → its owner (the person, else the people of the owning organisation).

Back-filled meetings (`Meeting.logged_late`) send no minutes notice and no actions."""

from django.urls import reverse
from django.utils import timezone, translation

from commissioning.models import Event, Membership, Organisation
from dialogue.calendar import meeting_calendar, method_of
from dialogue.models import ActionItem, Meeting
from dialogue.selectors.calendar import addresses_shown
from notifications.models import Notice
from notifications.recipients import people
from notifications.services.delivery import link
from notifications.services.notify import notify
from notifications.writers import writes
from workers.mail import people_of
from workers.relay import handles
from workers.selectors.pulses import meeting_participants

MEETING_RELATED = ("purchaser", "arena", "programme")
ACTION_RELATED = ("meeting__purchaser", "owner_organisation", "owner_person")
CALENDAR_FILE = "invitation.ics"


def purchaser_name(meeting: Meeting) -> str:
    return meeting.purchaser.name


def meeting_path(meeting: Meeting) -> str:
    return reverse("meeting-page", kwargs={"meeting_id": meeting.pk})


def _meeting_of(event: Event) -> Meeting | None:
    return Meeting.objects.select_related(*MEETING_RELATED).filter(pk=event.subject_id).first()


# --- invitations, changes and cancellations ----------------------------------------------


def uninvited(notice) -> bool:
    """The notice tells a person that a meeting goes on without them."""
    return notice.key.startswith("meeting-uninvited:")


def attach_calendar(message, meeting: Meeting, notice) -> None:
    """The meeting as the recipient's calendar entry, in their language, listing only the
    attendees whose addresses they may see; a CANCEL for a person no longer invited."""
    shown = addresses_shown(person=notice.person, meetings=[meeting])
    method = "CANCEL" if uninvited(notice) else method_of(meeting)
    with translation.override(notice.language):
        ics = meeting_calendar(
            meeting, url=link(notice.url) if notice.url else None, shown_people=shown, method=method
        )
    message.attach(CALENDAR_FILE, ics, f"text/calendar; method={method}; charset=utf-8")


def _meeting_context(meeting: Meeting, notice) -> dict:
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.order_by("position")),
        "changed": notice.key.startswith("meeting-changed:"),
    }


@writes(
    "meeting_invitation",
    model=Meeting,
    template="notifications/email/meeting_invitation",
    sender=purchaser_name,
    attach=attach_calendar,
    select_related=MEETING_RELATED,
)
def invitation_context(meeting: Meeting, notice) -> dict:
    return _meeting_context(meeting, notice)


@writes(
    "meeting_cancelled",
    model=Meeting,
    template="notifications/email/meeting_cancelled",
    sender=purchaser_name,
    attach=attach_calendar,
    select_related=MEETING_RELATED,
)
def cancellation_context(meeting: Meeting, notice) -> dict:
    return {"meeting": meeting, "uninvited": uninvited(notice)}


def invitees(meeting: Meeting) -> list[tuple]:
    """(person, organisation) for each person invited by name, then the people who speak for
    each organisation invited without anyone named."""
    pairs = meeting.invitations.order_by("id").values_list("organisation_id", "person_id")
    return _invited_people(list(pairs))


def _invited_people(pairs: list) -> list[tuple]:
    """The people of invitations given as (organisation id, person id or None/0): those
    named, and those who speak for an organisation invited without anyone named."""
    named = [(person, organisation) for organisation, person in pairs if person]
    with_named = {organisation for _person, organisation in named}
    whole = {organisation for organisation, person in pairs if not person} - with_named
    organisations = list(Organisation.objects.filter(pk__in=whole).order_by("pk"))
    # A political body invited to a dialogue is its politicians (who get no reminders).
    political = [o for o in organisations if o.kind == Organisation.Kind.POLITICAL_BODY]
    others = [o for o in organisations if o.kind != Organisation.Kind.POLITICAL_BODY]
    return (
        people(named) + people_of(others) + people_of(political, roles=[Membership.Role.POLITICIAN])
    )


def _upcoming(meeting: Meeting | None) -> bool:
    return (
        meeting is not None
        and meeting.status == Meeting.Status.PLANNED
        and meeting.starts_at > timezone.now()
    )


def _invite(meeting: Meeting, recipients: list[tuple], occasion: str) -> None:
    notify(
        kind="meeting_invitation",
        subject=meeting,
        recipients=recipients,
        occasion=occasion,
        url=meeting_path(meeting),
    )


@handles("meeting.created")
def tell_meeting_planned(event: Event) -> None:
    """The invitation, to everyone invited, for a meeting still to come."""
    meeting = _meeting_of(event)
    if _upcoming(meeting):
        _invite(meeting, invitees(meeting), f"meeting-planned:{meeting.pk}")


@handles("meeting.updated")
def tell_meeting_changed(event: Event) -> None:
    """The update (a higher SEQUENCE) to those already invited; the invitation itself to
    people the change invited; a CANCEL to people invited before whom the change left out
    (their calendars would otherwise keep the meeting)."""
    meeting = _meeting_of(event)
    if not _upcoming(meeting):
        return
    sequence = (event.after or {}).get("sequence", meeting.sequence)
    recipients = invitees(meeting)
    before = _invited_people((event.before or {}).get("invitations", []))
    planned = f"meeting-planned:{meeting.pk}"
    candidates = {person.pk for person, _organisation in recipients + before}
    invited_before = set(
        Notice.objects.filter(key__in=[f"{planned}:{pk}" for pk in candidates]).values_list(
            "person_id", flat=True
        )
    )
    told = [pair for pair in recipients if pair[0].pk in invited_before]
    new = [pair for pair in recipients if pair[0].pk not in invited_before]
    _invite(meeting, told, f"meeting-changed:{meeting.pk}:{sequence}")
    _invite(meeting, new, planned)
    still = {person.pk for person, _organisation in recipients}
    left_out = [pair for pair in before if pair[0].pk in invited_before - still]
    notify(
        kind="meeting_cancelled",
        subject=meeting,
        recipients=left_out,
        occasion=f"meeting-uninvited:{meeting.pk}:{sequence}",
    )


@handles("meeting.cancelled")
def tell_meeting_cancelled(event: Event) -> None:
    """The cancellation (METHOD:CANCEL), to everyone invited, unless the meeting is over."""
    meeting = _meeting_of(event)
    if meeting is None or meeting.status != Meeting.Status.CANCELLED:
        return
    if meeting.ends_at <= timezone.now():
        return
    notify(
        kind="meeting_cancelled",
        subject=meeting,
        recipients=invitees(meeting),
        occasion=f"meeting-cancelled:{meeting.pk}",
        url=meeting_path(meeting),
    )


# --- minutes ------------------------------------------------------------------------------


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
    meeting = _meeting_of(event)
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


# --- actions ------------------------------------------------------------------------------


def action_purchaser_name(action: ActionItem) -> str:
    return action.meeting.purchaser.name


@writes(
    "action_assigned",
    model=ActionItem,
    template="notifications/email/action_assigned",
    sender=action_purchaser_name,
    select_related=ACTION_RELATED,
)
def action_context(action: ActionItem, notice) -> dict:
    return {"action": action, "meeting": action.meeting}


def action_owners(action: ActionItem) -> list[tuple]:
    """The owner person if there is one, else the people of the owning organisation."""
    if action.owner_person_id is not None:
        return people([(action.owner_person_id, action.owner_organisation_id)])
    return people_of([action.owner_organisation])


def _tell_owners(actions, event: Event) -> None:
    """Each action's owners, but not the person who gave it (they know)."""
    for action in actions:
        notify(
            kind="action_assigned",
            subject=action,
            recipients=[p for p in action_owners(action) if p[0].pk != event.actor_id],
            occasion=f"action-assigned:{action.pk}",
            url=meeting_path(action.meeting),
        )


@handles("action_item.created")
def tell_action_assigned(event: Event) -> None:
    action = ActionItem.objects.select_related(*ACTION_RELATED).filter(pk=event.subject_id)
    action = action.filter(status=ActionItem.Status.OPEN).first()
    if action is None or action.meeting.logged_late:
        return
    _tell_owners([action], event)


@handles("meeting.logged", "meeting.created_and_logged")
def tell_logged_actions(event: Event) -> None:
    """The actions of a meeting logged in one go (they have no Event of their own); those
    told before keep their notice (the key is the action's)."""
    meeting = _meeting_of(event)
    if meeting is None or meeting.logged_late:
        return
    actions = meeting.action_items.filter(status=ActionItem.Status.OPEN)
    _tell_owners(actions.select_related(*ACTION_RELATED).order_by("id"), event)
