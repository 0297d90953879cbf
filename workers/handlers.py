"""The relay's handlers of the background work (workers.relay finds this module through
Django's autodiscovery of each app's `handlers`): what follows from an Event.

- A signed contract: each person of the purchaser and of the provider parties gets the
  obligation schedule, every obligation with its next due dates, in their own language.
  Meeting points and deadlines get lost (DESIGN.md), so the schedule is put in front of the
  people who owe the obligations the moment the contract binds them. The due dates are not
  stored: they follow from each obligation's cadence
  (contracts.occurrences.occurrences), and the reminders warn again as each comes due.
- A closed consultation: its "you said, we did" report is ordered (workers.documents.orders),
  and everyone who took part is asked a trust pulse (workers.pulses).
- A held meeting, or its attendance recorded: everyone present is asked a trust pulse.
- An invitation made or sent again: its email, with the link, once per link.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.utils import timezone

from accounts import emails as invitation_emails
from accounts.models import Invitation
from commissioning import mail, policies
from commissioning.languages import language_of
from commissioning.models import Event, Membership, Organisation
from contracts.models import Contract
from contracts.occurrences import occurrences
from dialogue.models import AttendanceRevision, Consultation, Meeting
from workers import mail as sending
from workers.documents.orders import order_document
from workers.models import Document
from workers.pulses import create_pulses, enqueue_sending
from workers.relay import handles
from workers.selectors.pulses import consultation_participants, meeting_participants

logger = logging.getLogger(__name__)

# How many due dates of each obligation the schedule lists.
NEXT_DUE_DATES = 3
# Politicians follow the programme, not the day-to-day duties of a contract.
RECIPIENT_ROLES = [
    Membership.Role.MANAGER,
    Membership.Role.OFFICER,
    Membership.Role.PROVIDER_REPRESENTATIVE,
]

MEETING_VERBS = (
    "meeting.held",
    "meeting.logged",
    "meeting.created_and_logged",
    "meeting.minutes_approved",
    "meeting.attendance_recorded",
    "meeting.attendance_corrected",
)


# --- a signed contract: the obligation schedule ------------------------------------------


def obligation_schedule(contract: Contract, *, start: datetime.date) -> list[dict]:
    """Each obligation of the contract with its next due dates on or after `start`."""
    schedule = []
    for obligation in contract.obligations.select_related("owed_by").order_by("first_due", "id"):
        schedule.append(
            {
                "obligation": obligation,
                "due_dates": occurrences(obligation, after=start, count=NEXT_DUE_DATES),
            }
        )
    return schedule


def recipients(contract: Contract) -> list[tuple]:
    """(person, organisation) for everyone of the purchaser and the parties, once each."""
    organisation_ids = [
        contract.purchaser_id,
        *contract.parties.values_list("organisation_id", flat=True),
    ]
    return sending.people_of(
        Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"), roles=RECIPIENT_ROLES
    )


@handles("contract.signed")
def send_obligation_schedule(event: Event) -> None:
    contract = (
        Contract.objects.select_related("purchaser", "programme")
        .filter(pk=event.subject_id)
        .first()
    )
    if contract is None:
        return
    start = max(timezone.localdate(), _period_start(contract))
    schedule = obligation_schedule(contract, start=start)
    if not schedule:
        # Nothing owed yet: obligations added later are announced by the reminders.
        return
    for person, organisation in recipients(contract):
        _send_once(contract, schedule, person, organisation)


def _period_start(contract: Contract) -> datetime.date:
    latest = contract.versions.order_by("-number").first()
    if latest is not None and latest.period_start is not None:
        return latest.period_start
    return timezone.localdate()


def _send_once(contract, schedule, person, organisation) -> None:
    language = language_of(person, organisation)
    message = mail.compose(
        person=person,
        language=language,
        template="workers/email/obligation_schedule",
        context={
            "contract": contract,
            "title": str(contract),
            "schedule": schedule,
            "url": f"{settings.SITE_URL}/api/v1/contracts/{contract.pk}/",
        },
        sender_name=contract.purchaser.name,
    )
    # Inside the handler's transaction: if sending fails, the Notification row and the
    # HandlerRun are rolled back with it and the sweep sends again.
    sending.send_once(
        message,
        key=f"obligation-schedule:{contract.pk}:{person.pk}",
        kind="obligation_schedule",
        person=person,
        language=language,
    )


# --- a closed consultation: its report ---------------------------------------------------


@handles("consultation.closed")
def order_report_after_close(event: Event) -> None:
    """A closed consultation gets its "you said, we did" report straight away, in the
    programme's language, ordered for the officer who ran the consultation: providers see
    what happened to what they said (the Swedish finding on trust)."""
    consultation = (
        Consultation.objects.select_related("programme", "purchaser", "created_by")
        .filter(pk=event.subject_id)
        .first()
    )
    if consultation is None or consultation.created_by is None:
        return
    officer = consultation.created_by
    if consultation.purchaser_id not in policies.standing_of(officer).staff_purchasers:
        logger.warning(
            "Consultation %s closed, but %s no longer works for its purchaser: no report "
            "ordered; order it from the API.",
            consultation.pk,
            officer,
        )
        return
    order_document(
        actor=officer,
        acting_for=consultation.purchaser,
        kind=Document.Kind.CONSULTATION_REPORT,
        subject=consultation,
        language=consultation.programme.language,
    )


# --- trust pulses after a meeting or a consultation ---------------------------------------


def _local_date(moment: datetime.datetime, time_zone: str | None = None) -> datetime.date:
    zone = zoneinfo.ZoneInfo(time_zone) if time_zone else timezone.get_current_timezone()
    return timezone.localtime(moment, zone).date()


def _meeting_of(event) -> Meeting | None:
    model = event.subject_type.model_class()
    if model is AttendanceRevision:
        return (
            Meeting.objects.filter(attendance__pk=event.subject_id)
            .select_related("purchaser")
            .first()
        )
    if model is Meeting:
        return Meeting.objects.filter(pk=event.subject_id).first()
    return None


@handles(*MEETING_VERBS)
def pulses_after_meeting(event) -> None:
    """A held meeting, or its attendance recorded: ask everyone present who was not asked."""
    meeting = _meeting_of(event)
    held = {Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED}
    if meeting is None or meeting.status not in held:
        return
    due = create_pulses(
        occasion=meeting,
        participants=meeting_participants(meeting),
        purchaser_id=meeting.purchaser_id,
        occasion_date=_local_date(meeting.starts_at, meeting.time_zone),
        programme_id=meeting.programme_id,
        arena_id=meeting.arena_id,
    )
    enqueue_sending(due)


@handles("consultation.closed")
def pulses_after_consultation(event) -> None:
    consultation = (
        Consultation.objects.filter(pk=event.subject_id).select_related("programme").first()
    )
    if consultation is None or consultation.status != Consultation.Status.CLOSED:
        return
    closed_at = consultation.closed_at or consultation.closes_at
    due = create_pulses(
        occasion=consultation,
        participants=consultation_participants(consultation),
        purchaser_id=consultation.purchaser_id,
        occasion_date=_local_date(closed_at, consultation.programme.time_zone),
        programme_id=consultation.programme_id,
        arena_id=None,
    )
    enqueue_sending(due)


# --- an invitation: its email ------------------------------------------------------------


@handles("invitation.created", "invitation.resent")
def send_invitation(event: Event) -> None:
    """The invitation's email, with the link of its current key, in the invitee's language.
    Sent once per link (a resend is a new link, so a new email); nothing for an invitation
    accepted or revoked before the relay came to it. Inside the handler's transaction: if
    sending fails, the claim rolls back with it and the sweep sends again."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by", "invited_for")
        .filter(pk=event.subject_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return
    person = invitation_emails.recipient(invitation)
    language = invitation_emails.invitation_language(invitation, person)
    key = invitation.key

    def note_sent() -> None:
        Invitation.objects.filter(pk=invitation.pk, key=key).update(sent_at=timezone.now())

    sending.send_once(
        invitation_emails.invitation_email(invitation, person, language),
        key=invitation_emails.notification_key(invitation),
        kind=invitation_emails.NOTIFICATION_KIND,
        person=person,
        language=language,
        on_claim=note_sent,
    )
