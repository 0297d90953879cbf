"""Trust pulses: who is asked after a held meeting or a closed consultation, the personal link
that needs no login, the answer and the opt-out, and the anonymous results.

"Trust is lacking; purchasers say they are open about finances, providers are still not
satisfied" (DESIGN.md, the Swedish and English findings): after each held meeting and each
closed consultation every participant is asked five statements, and the results are shown as
a trend per relationship, arena and programme, never as a figure of fewer than three answers.

Who is asked (a decision of this module, documented here because it is not in DESIGN.md):
- a meeting: the people recorded *present* in the meeting's current attendance revision. A
  named person counts whatever their organisation (purchaser staff too: both sides answer,
  each about the other party). An organisation recorded present without names counts for its
  provider representatives if it is a provider or a network; a purchaser or political body
  recorded present without names asks nobody, because "the region was there" does not say
  which of its staff were. A person named absent or excused is never asked.
  Pulses follow the attendance: a meeting marked held before its attendance is recorded asks
  nobody until the attendance is recorded (or corrected), which is why the handler also
  follows the attendance events. Each person is asked once per occasion, whatever event
  comes first or how often the relay runs.
- a closed consultation: the provider representatives of every organisation that commented
  (a withdrawn comment too: it took part) or co-signed, the comments' authors and co-signers
  by name, and on the purchaser's side the staff who wrote responses. Invited organisations
  that said nothing are not asked: they did not take part (the reminders already ask them to).
- never: people who opted out, inactive people, people without an email address.

When: PULSE_DELAY_DAYS after the occasion's date (the day after by default), so that a
meeting's impressions have settled and a consultation's published responses have been read.
It is a module constant, not a setting, because config/settings.py belongs to another
part; move it there when it needs to change per installation. A pulse due at creation is
sent at once (after the commit); a later one by the periodic `send_due_pulses` sweep.
"""

import datetime
import hashlib
import secrets
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, TruncQuarter
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.languages import chosen_or_country
from commissioning.models import Membership, Organisation, Profile
from commissioning.services.events import record_event
from dialogue.models import (
    AttendanceEntry,
    AttendanceRevision,
    Comment,
    Consultation,
    CoSignature,
    Meeting,
    Response,
)
from workers.models import Notification, PulseAnswer, PulseOptOut, TrustPulse
from workers.relay import handles

Kind = Organisation.Kind
Role = Membership.Role

PULSE_DELAY_DAYS = 1
PULSE_LIFETIME = datetime.timedelta(days=14)
# No figure for fewer answers than this (DESIGN.md: "no figure is shown for a group of fewer
# than three answers"), so that nobody's answer can be read out of a small group.
MIN_ANSWERS = 3
FREE_TEXT_MAX_LENGTH = 2000
NOTIFICATION_KIND = "trust_pulse"
# The roles that speak for an organisation recorded present (or commenting) without names.
SPEAKERS_BY_KIND = {
    Kind.PROVIDER: [Role.PROVIDER_REPRESENTATIVE],
    Kind.PROVIDER_NETWORK: [Role.PROVIDER_REPRESENTATIVE],
}
SEND_CHUNK = 200

MEETING_VERBS = (
    "meeting.held",
    "meeting.logged",
    "meeting.created_and_logged",
    "meeting.minutes_approved",
    "meeting.attendance_recorded",
    "meeting.attendance_corrected",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def notification_key(pulse_id: int) -> str:
    return f"pulse:{pulse_id}"


# --- who is asked ------------------------------------------------------------------------


def _speakers(organisation_ids) -> list[tuple[int, int]]:
    """(person id, organisation id) of the provider representatives of these organisations."""
    condition = Q()
    for kind, roles in SPEAKERS_BY_KIND.items():
        condition |= Q(organisation__kind=kind, role__in=roles)
    return list(
        Membership.objects.filter(condition, organisation__in=organisation_ids)
        .order_by("organisation_id", "person_id")
        .values_list("person_id", "organisation_id")
    )


def meeting_participants(meeting: Meeting) -> list[tuple[int, int]]:
    """(person id, organisation id) of everyone present at the meeting, by its current
    attendance revision: named people first, then the representatives of organisations
    recorded present without names."""
    revision = AttendanceRevision.objects.filter(meeting=meeting).order_by("-number").first()
    if revision is None:
        return []
    entries = list(revision.entries.values_list("organisation_id", "person_id", "status"))
    present = AttendanceEntry.Status.PRESENT
    named = [(p, o) for o, p, s in entries if p is not None and s == present]
    not_there = {p for o, p, s in entries if p is not None and s != present}
    organisations = [o for o, p, s in entries if p is None and s == present]
    expanded = [(p, o) for p, o in _speakers(organisations) if p not in not_there]
    return named + expanded


def consultation_participants(consultation: Consultation) -> list[tuple[int, int]]:
    """(person id, organisation id) of everyone who took part in a closed consultation."""
    comments = Comment.objects.filter(consultation=consultation)
    cosignatures = CoSignature.objects.filter(
        comment__consultation=consultation, withdrawn_at__isnull=True
    )
    named = [
        (p, o) for p, o in comments.values_list("author_id", "organisation_id") if p is not None
    ]
    named += [
        (p, o)
        for p, o in cosignatures.values_list("signed_by_id", "organisation_id")
        if p is not None
    ]
    organisations = set(comments.values_list("organisation_id", flat=True))
    organisations |= set(cosignatures.values_list("organisation_id", flat=True))
    responders = [
        (p, consultation.purchaser_id)
        for p in Response.objects.filter(comment__consultation=consultation)
        .exclude(written_by=None)
        .values_list("written_by_id", flat=True)
    ]
    return named + _speakers(organisations) + responders


def _languages(person_ids, organisation_ids) -> tuple[dict, dict]:
    profiles = dict(
        Profile.objects.filter(person__in=person_ids)
        .exclude(language="")
        .values_list("person_id", "language")
    )
    countries = dict(
        Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "country")
    )
    return profiles, countries


def _language(person_id, organisation_id, profiles, countries) -> str:
    """The rule of commissioning.languages, on choices and countries loaded in bulk."""
    return chosen_or_country(profiles.get(person_id), countries.get(organisation_id))


def _local_date(moment: datetime.datetime, time_zone: str | None = None) -> datetime.date:
    zone = zoneinfo.ZoneInfo(time_zone) if time_zone else timezone.get_current_timezone()
    return timezone.localtime(moment, zone).date()


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
    profiles, countries = _languages(reachable, {o for _p, o in participants})
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


def unsent_pulses() -> QuerySet[TrustPulse]:
    """Pulses without their Notification, still worth sending."""
    return (
        TrustPulse.objects.annotate(
            notification_key=Concat(Value("pulse:"), Cast("pk", CharField()))
        )
        .exclude(Exists(Notification.objects.filter(key=OuterRef("notification_key"))))
        .filter(expires_at__gt=timezone.now())
        .order_by("pk")
    )


def due_pulses(today: datetime.date) -> QuerySet[TrustPulse]:
    """Unsent pulses whose day has come, of people who may still be asked (otherwise the
    sweep would pick the same pulses up every hour)."""
    return (
        unsent_pulses()
        .filter(
            occasion_date__lte=today - datetime.timedelta(days=PULSE_DELAY_DAYS),
            person__is_active=True,
        )
        .exclude(person__email="")
        .exclude(Exists(PulseOptOut.objects.filter(person=OuterRef("person"))))
    )


def enqueue_sending(pulse_ids: list[int]) -> None:
    """Send after the commit, so that the worker finds the pulses; in chunks, so that one
    task does not carry ten thousand ids. A broker that is down loses nothing: the sweep
    sends what is still unsent."""
    if not pulse_ids:
        return
    from workers.pulse_tasks import send_pulses

    def publish():
        for start in range(0, len(pulse_ids), SEND_CHUNK):
            send_pulses.delay(pulse_ids[start : start + SEND_CHUNK])

    transaction.on_commit(publish, robust=True)


# --- the relay's handlers ---------------------------------------------------------------


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


# --- sending ----------------------------------------------------------------------------


def occasion_of(pulse: TrustPulse):
    model = pulse.occasion_type.model_class()
    return model.objects.filter(pk=pulse.occasion_id).first()


def pulse_links(token: str) -> dict:
    return {
        "url": f"{settings.SITE_URL}/pulse/{token}/",
        "unsubscribe_url": f"{settings.SITE_URL}/pulse/{token}/unsubscribe/",
    }


def pulse_email(pulse: TrustPulse, token: str, occasion=None) -> EmailMultiAlternatives:
    """The invitation: plain text and HTML in the pulse's language, naming the occasion,
    with the personal link, its expiry and the unsubscribe link (also as List-Unsubscribe)."""
    person = pulse.person
    occasion = occasion if occasion is not None else occasion_of(pulse)
    person_name = person.get_full_name() or person.get_username()
    links = pulse_links(token)
    with translation.override(pulse.language):
        context = {
            "pulse": pulse,
            "occasion": occasion,
            "is_meeting": isinstance(occasion, Meeting),
            "person_name": person_name,
            "purchaser": pulse.purchaser,
            "language": pulse.language,
            "statements": PulseAnswer.STATEMENTS,
            **links,
        }
        subject = " ".join(render_to_string("workers/email/pulse_subject.txt", context).split())
        text = render_to_string("workers/email/pulse_invitation.txt", context)
        html = render_to_string("workers/email/pulse_invitation.html", context)
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((pulse.purchaser.name, address or settings.DEFAULT_FROM_EMAIL)),
        to=[formataddr((person_name, person.email))],
        headers={
            "Content-Language": pulse.language,
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _pulses_to_send(pulse_ids) -> QuerySet[TrustPulse]:
    return (
        TrustPulse.objects.filter(pk__in=pulse_ids)
        .select_related("person", "purchaser", "occasion_type")
        .annotate(
            opted_out=Exists(PulseOptOut.objects.filter(person=OuterRef("person"))),
            notification_key=Concat(Value("pulse:"), Cast("pk", CharField())),
        )
        .annotate(sent=Exists(Notification.objects.filter(key=OuterRef("notification_key"))))
        .order_by("pk")
    )


def _claim(pulse: TrustPulse, subject: str) -> bool:
    """Insert the pulse's Notification unless it exists; True if this call inserted it.

    One statement that both asks and claims (INSERT … ON CONFLICT DO NOTHING RETURNING, in
    PostgreSQL and SQLite alike): a second delivery of the same pulse waits here for the
    first one's transaction and then finds the row. The ORM cannot tell whether an
    ignore_conflicts insert inserted, hence SQL; it keeps sending at four round trips per
    email (bench/pulse_invitations.py)."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in ("key", "kind", "recipient_id", "email", "subject", "language", "sent_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT ({connection.ops.quote_name('key')}) DO NOTHING RETURNING id",
            [
                notification_key(pulse.pk),
                NOTIFICATION_KIND,
                pulse.person_id,
                pulse.person.email,
                subject[:300],
                pulse.language,
                timezone.now(),
            ],
        )
        return cursor.fetchone() is not None


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
    with transaction.atomic():
        if not _claim(pulse, message.subject):
            return False
        TrustPulse.objects.filter(pk=pulse.pk).update(
            token_hash=pulse.token_hash, expires_at=pulse.expires_at
        )
        message.send()
    return True


def send_pulse(*, pulse_id: int) -> bool:
    """Send one pulse's invitation, once. True if sent now.

    The pulse's Notification ("pulse:{id}") is claimed in the same transaction as the
    sending: a second delivery of the task waits for the first, finds the row and sends
    nothing; if sending raises, the claim rolls back and the next try sends. The token is
    made here and only its hash kept (a token that was never sent is never stored); the 14
    days start now."""
    pulse = _pulses_to_send([pulse_id]).first()
    return pulse is not None and _send(pulse)


def send_pulses(pulse_ids: list[int]) -> int:
    """Send a chunk of pulses, each once and in its own transaction, over one email
    connection (one SMTP session) and with one lookup of their occasion. Returns how many
    were sent now."""
    sent = 0
    occasions: dict = {}
    with get_connection() as email_connection:
        for pulse in _pulses_to_send(pulse_ids):
            key = (pulse.occasion_type_id, pulse.occasion_id)
            if key not in occasions:
                occasions[key] = occasion_of(pulse)
            sent += _send(pulse, email_connection=email_connection, occasion=occasions[key])
    return sent


# --- the page behind the link -------------------------------------------------------------


def pulse_by_token(token: str) -> TrustPulse | None:
    """The pulse of a link, or None for an unknown (or altered) token."""
    if not token or len(token) > 100:
        return None
    return (
        TrustPulse.objects.select_related("purchaser", "occasion_type", "answer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def is_expired(pulse: TrustPulse) -> bool:
    return timezone.now() >= pulse.expires_at


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


# --- results ------------------------------------------------------------------------------


def results_scope(
    *,
    person,
    programme: int | None = None,
    arena: int | None = None,
    purchaser: int | None = None,
    provider: int | None = None,
) -> QuerySet[TrustPulse]:
    """The pulses of one scope the person may read results of. A programme, arena or
    organisation the person cannot see answers 404 (policies.get_visible)."""
    visible = policies.visible_pulses(person)
    if programme is not None:
        found = policies.get_visible(policies.visible_programmes(person), pk=programme)
        return visible.filter(programme=found)
    if arena is not None:
        found = policies.get_visible(policies.visible_arenas(person), pk=arena)
        return visible.filter(arena=found)
    organisations = policies.visible_organisations(person)
    buyer = policies.get_visible(organisations, pk=purchaser)
    seller = policies.get_visible(organisations, pk=provider)
    if buyer.kind != Kind.PURCHASER:
        raise RuleViolation(
            _("Organisation %(id)s is not a purchaser; give the purchaser of the relationship.")
            % {"id": buyer.pk},
            fields={"purchaser": [_("Not a purchaser.")]},
        )
    if seller.kind not in {Kind.PROVIDER, Kind.PROVIDER_NETWORK}:
        raise RuleViolation(
            _("Organisation %(id)s is not a provider or provider network.") % {"id": seller.pk},
            fields={"provider": [_("Not a provider or provider network.")]},
        )
    return visible.filter(purchaser=buyer, organisation=seller)


def _mean(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _quarter_label(start: datetime.date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def pulse_trend(queryset: QuerySet[TrustPulse]) -> list[dict]:
    """The answers to these pulses per calendar quarter of the occasion, oldest first: per
    statement the number of answers, the mean (one decimal) and the distribution of 1–5,
    and the free texts without names. A quarter of fewer than MIN_ANSWERS answers shows no
    figure and no free text, only its number and the note "too few answers".

    Two queries whatever the number of answers (shared with the PDF briefing)."""
    answers = PulseAnswer.objects.filter(pulse__in=queryset.values("pk"))
    aggregates = {"n": Count("pk")}
    for name in PulseAnswer.SCORE_FIELDS:
        for score in range(1, 6):
            aggregates[f"{name}__{score}"] = Count("pk", filter=Q(**{name: score}))
    rows = list(
        answers.annotate(quarter=TruncQuarter("pulse__occasion_date"))
        .values("quarter")
        .annotate(**aggregates)
        .order_by("quarter")
    )
    shown = [row["quarter"] for row in rows if row["n"] >= MIN_ANSWERS]
    texts: dict = {}
    if shown:
        for quarter, text in (
            answers.annotate(quarter=TruncQuarter("pulse__occasion_date"))
            .filter(quarter__in=shown)
            .exclude(free_text="")
            # Ordered by the text itself: the order of answering could point at a person.
            .order_by("quarter", "free_text")
            .values_list("quarter", "free_text")
        ):
            texts.setdefault(quarter, []).append(text)
    result = []
    for row in rows:
        quarter, n = row["quarter"], row["n"]
        enough = n >= MIN_ANSWERS
        statements = []
        for name, statement in zip(PulseAnswer.SCORE_FIELDS, PulseAnswer.STATEMENTS, strict=True):
            figure = {"key": name, "statement": str(statement), "n": n}
            if enough:
                distribution = {str(s): row[f"{name}__{s}"] for s in range(1, 6)}
                total = sum(int(s) * c for s, c in distribution.items())
                figure.update(mean=_mean(total / n), distribution=distribution, note=None)
            else:
                figure.update(mean=None, distribution=None, note=str(_("too few answers")))
            statements.append(figure)
        result.append(
            {
                "quarter": _quarter_label(quarter),
                "n": n,
                "statements": statements,
                "free_texts": texts.get(quarter, []) if enough else [],
            }
        )
    return result


# --- for a signed-in person -----------------------------------------------------------------


def open_pulse_of(*, person, occasion) -> TrustPulse | None:
    """The person's pulse about an occasion (a meeting, a consultation) while it can still be
    answered, for the pages to offer beside the occasion: the emailed link's token is stored
    only hashed, so a signed-in person is found by who they are instead."""
    return (
        TrustPulse.objects.select_related("answer")
        .filter(
            person=person,
            occasion_type=ContentType.objects.get_for_model(occasion),
            occasion_id=str(occasion.pk),
            expires_at__gt=timezone.now(),
        )
        .first()
    )
