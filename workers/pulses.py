"""Trust pulses: asking everyone who took part in a held meeting or a closed consultation
(who that is: workers.selectors.pulses), sending each invitation once with its personal link
that needs no login, the answer and the opt-out; and the Celery tasks that send. The tasks
take ids and are safe to run twice: a pulse's Notification row ("pulse:{id}") decides
whether it was sent.

"Trust is lacking; purchasers say they are open about finances, providers are still not
satisfied" (DESIGN.md, the Swedish and English findings): after each held meeting and each
closed consultation every participant is asked five statements, and the results are shown as
a trend per relationship, arena and programme, never as a figure of fewer than three answers.

When: PULSE_DELAY_DAYS after the occasion's date (the day after by default), so that a
meeting's impressions have settled and a consultation's published responses have been read.
It is a module constant, not a setting, because config/settings.py belongs to another
part; move it there when it needs to change per installation. A pulse due at creation is
sent at once (after the commit); a later one by the periodic `send_due_pulses` sweep.
"""

import datetime
import secrets

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import OperationalError as DatabaseError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import mail
from commissioning.errors import Conflict
from commissioning.languages import chosen_or_country
from commissioning.models import Membership, Organisation
from commissioning.services.events import record_event
from dialogue.models import (
    Meeting,
)
from workers import mail as sending
from workers.models import PulseAnswer, PulseOptOut, TrustPulse
from workers.publishing import send
from workers.selectors.pulses import (
    PULSE_DELAY_DAYS,
    due_pulses,
    hash_token,
    is_expired,
    languages_of,
    occasion_of,
    pulses_to_send,
    unsent_pulses,
)

Kind = Organisation.Kind
Role = Membership.Role

PULSE_LIFETIME = datetime.timedelta(days=14)
FREE_TEXT_MAX_LENGTH = 2000
NOTIFICATION_KIND = "trust_pulse"
SEND_CHUNK = 200

RETRY = {
    "autoretry_for": (DatabaseError, ConnectionError, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}

SWEEP_LIMIT = 5000


def notification_key(pulse_id: int) -> str:
    return f"pulse:{pulse_id}"


def _language(person_id, organisation_id, profiles, countries) -> str:
    """The rule of commissioning.languages, on choices and countries loaded in bulk."""
    return chosen_or_country(profiles.get(person_id), countries.get(organisation_id))


def create_pulses(
    *,
    occasion,
    participants: list[tuple[int, int]],
    purchaser_id: int,
    occasion_date: datetime.date,
    programme_id: int | None,
    arena_id: int | None,
) -> list[int]:
    """One pulse per participant who may be asked and has none for this occasion yet. Safe
    to run twice, and at the same moment: the unique (person, occasion) refuses a second.
    Returns the ids of the occasion's pulses that are due and not sent yet."""
    occasion_type = ContentType.objects.get_for_model(occasion)
    occasion_id = str(occasion.pk)
    person_ids = {p for p, _o in participants}
    asked = set(
        TrustPulse.objects.filter(
            occasion_type=occasion_type, occasion_id=occasion_id, person__in=person_ids
        ).values_list("person_id", flat=True)
    )
    reachable = set(
        get_user_model()
        .objects.filter(pk__in=person_ids - asked, is_active=True)
        .exclude(email="")
        .exclude(Exists(PulseOptOut.objects.filter(person=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    profiles, countries = languages_of(reachable, {o for _p, o in participants})
    now = timezone.now()
    # Provisional until the pulse is sent (sending starts the 14 days); an unsent pulse past
    # this is stale and no longer sent.
    expires_at = now + datetime.timedelta(days=PULSE_DELAY_DAYS) + PULSE_LIFETIME
    pulses, seen = [], set()
    for person_id, organisation_id in participants:
        if person_id not in reachable or person_id in seen:
            continue
        seen.add(person_id)
        pulses.append(
            TrustPulse(
                person_id=person_id,
                organisation_id=organisation_id,
                purchaser_id=purchaser_id,
                programme_id=programme_id,
                arena_id=arena_id,
                occasion_type=occasion_type,
                occasion_id=occasion_id,
                occasion_date=occasion_date,
                # Nobody knows this token: the link that works is made when the pulse is
                # sent, so no token ever waits in the database or in the broker.
                token_hash=hash_token(secrets.token_urlsafe(32)),
                language=_language(person_id, organisation_id, profiles, countries),
                expires_at=expires_at,
            )
        )
    TrustPulse.objects.bulk_create(pulses, ignore_conflicts=True, batch_size=1000)
    if occasion_date + datetime.timedelta(days=PULSE_DELAY_DAYS) > timezone.localdate():
        return []
    return list(
        unsent_pulses()
        .filter(occasion_type=occasion_type, occasion_id=occasion_id)
        .values_list("pk", flat=True)
    )


def enqueue_sending(pulse_ids: list[int]) -> None:
    """Send after the commit, so that the worker finds the pulses; in chunks, so that one
    task does not carry ten thousand ids. A broker that is down loses nothing: the sweep
    sends what is still unsent."""
    if not pulse_ids:
        return

    def publish():
        for start in range(0, len(pulse_ids), SEND_CHUNK):
            send(
                send_pulses,
                pulse_ids[start : start + SEND_CHUNK],
                otherwise="the hourly pulse sweep will send them",
            )

    transaction.on_commit(publish, robust=True)


# --- sending ----------------------------------------------------------------------------


def pulse_links(token: str) -> dict:
    return {
        "url": f"{settings.SITE_URL}/pulse/{token}/",
        "unsubscribe_url": f"{settings.SITE_URL}/pulse/{token}/unsubscribe/",
    }


def pulse_email(pulse: TrustPulse, token: str, occasion=None) -> EmailMultiAlternatives:
    """The invitation: plain text and HTML in the pulse's language, naming the occasion,
    with the personal link, its expiry and the unsubscribe link (also as List-Unsubscribe)."""
    occasion = occasion if occasion is not None else occasion_of(pulse)
    links = pulse_links(token)
    return mail.compose(
        person=pulse.person,
        language=pulse.language,
        template="workers/email/pulse_invitation",
        context={
            "pulse": pulse,
            "occasion": occasion,
            "is_meeting": isinstance(occasion, Meeting),
            "purchaser": pulse.purchaser,
            "statements": PulseAnswer.STATEMENTS,
            **links,
        },
        sender_name=pulse.purchaser.name,
        headers={"List-Unsubscribe": f"<{links['unsubscribe_url']}>"},
    )


def _send(pulse: TrustPulse, *, email_connection=None, occasion=None) -> bool:
    # The person may have opted out (or lost their address) since the pulse was made.
    person = pulse.person
    if pulse.sent or pulse.opted_out or not person.email or not person.is_active:
        return False
    token = secrets.token_urlsafe(32)
    pulse.token_hash = hash_token(token)
    pulse.expires_at = timezone.now() + PULSE_LIFETIME
    message = pulse_email(pulse, token, occasion)
    message.connection = email_connection

    def store_token() -> None:
        TrustPulse.objects.filter(pk=pulse.pk).update(
            token_hash=pulse.token_hash, expires_at=pulse.expires_at
        )

    return sending.send_once(
        message,
        key=notification_key(pulse.pk),
        kind=NOTIFICATION_KIND,
        person=person,
        language=pulse.language,
        on_claim=store_token,
    )


def send_pulse_now(*, pulse_id: int) -> bool:
    """Send one pulse's invitation, once. True if sent now.

    The pulse's Notification ("pulse:{id}") is claimed in the same transaction as the
    sending: a second delivery of the task waits for the first, finds the row and sends
    nothing; if sending raises, the claim rolls back and the next try sends. The token is
    made here and only its hash kept (a token that was never sent is never stored); the 14
    days start now."""
    pulse = pulses_to_send([pulse_id]).first()
    return pulse is not None and _send(pulse)


def send_pulses_now(pulse_ids: list[int]) -> int:
    """Send a chunk of pulses, each once and in its own transaction, over one email
    connection (one SMTP session) and with one lookup of their occasion. Returns how many
    were sent now."""
    sent = 0
    occasions: dict = {}
    with get_connection() as email_connection:
        for pulse in pulses_to_send(pulse_ids):
            key = (pulse.occasion_type_id, pulse.occasion_id)
            if key not in occasions:
                occasions[key] = occasion_of(pulse)
            sent += _send(pulse, email_connection=email_connection, occasion=occasions[key])
    return sent


# --- the answer and the opt-out -----------------------------------------------------------


@transaction.atomic
def answer_pulse(*, pulse: TrustPulse, scores: dict[str, int], free_text: str) -> PulseAnswer:
    """Save the one answer of a pulse: created the first time, changed after, until the
    pulse expires."""
    pulse = TrustPulse.objects.select_for_update().get(pk=pulse.pk)
    if is_expired(pulse):
        raise Conflict(
            _("This pulse closed on %(date)s; your answer was not saved.")
            % {"date": pulse.expires_at.date().isoformat()},
            code="pulse_expired",
        )
    answer = PulseAnswer.objects.filter(pulse=pulse).first()
    changed = answer is not None
    if answer is None:
        answer = PulseAnswer(pulse=pulse)
    for name in PulseAnswer.SCORE_FIELDS:
        setattr(answer, name, scores[name])
    answer.free_text = free_text.strip()[:FREE_TEXT_MAX_LENGTH]
    answer.save()
    # The answer is anonymous in every result: the Event names no purchaser (so no purchaser's
    # audit trail lists who answered) and copies none of the scores.
    record_event(
        actor=None,
        acting_for=None,
        verb="pulse.answer_changed" if changed else "pulse.answered",
        subject=answer,
    )
    return answer


@transaction.atomic
def opt_out(*, pulse: TrustPulse) -> PulseOptOut:
    """The person behind the link gets no more pulses. Works after the pulse expired, and a
    second time changes nothing."""
    existing = PulseOptOut.objects.filter(person_id=pulse.person_id).first()
    if existing is not None:
        return existing
    opt = PulseOptOut.objects.create(person_id=pulse.person_id)
    record_event(actor=pulse.person, acting_for=None, verb="pulse.opted_out", subject=opt)
    return opt


# --- the tasks --------------------------------------------------------------------------


@shared_task(name="workers.pulse_tasks.send_pulse", acks_late=True, **RETRY)
def send_pulse(pulse_id: int) -> bool:
    """Send one pulse's invitation once."""
    return send_pulse_now(pulse_id=pulse_id)


@shared_task(name="workers.pulse_tasks.send_pulses", acks_late=True, **RETRY)
def send_pulses(pulse_ids: list[int]) -> int:
    """Send a chunk of pulses (as enqueued by the relay's handlers); each once. An email
    that fails stops the chunk, and the retry skips those already sent."""
    return send_pulses_now(pulse_ids)


@shared_task(name="workers.pulse_tasks.send_due_pulses", acks_late=True, **RETRY)
def send_due_pulses(limit: int = SWEEP_LIMIT) -> int:
    """The sweep (hourly in the beat schedule): pulses that became due after they were made
    (PULSE_DELAY_DAYS after the occasion), or whose sending was lost with the broker."""
    ids = list(due_pulses(timezone.localdate()).values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), SEND_CHUNK):
        send_pulses.delay(ids[start : start + SEND_CHUNK])
    return len(ids)
