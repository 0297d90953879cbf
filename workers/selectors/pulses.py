"""Reading trust pulses: who is asked after a held meeting or a closed consultation, the
pulses still to send, the pulse behind a personal link, and the anonymous results.

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

"""

import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Membership, Organisation, Profile
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

Kind = Organisation.Kind
Role = Membership.Role

# Pulses are sent this many days after the occasion (workers.pulses).
PULSE_DELAY_DAYS = 1
# No figure for fewer answers than this (DESIGN.md: "no figure is shown for a group of fewer
# than three answers"), so that nobody's answer can be read out of a small group.
MIN_ANSWERS = 3
# The roles that speak for an organisation recorded present (or commenting) without names.
SPEAKERS_BY_KIND = {
    Kind.PROVIDER: [Role.PROVIDER_REPRESENTATIVE],
    Kind.PROVIDER_NETWORK: [Role.PROVIDER_REPRESENTATIVE],
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


def languages_of(person_ids, organisation_ids) -> tuple[dict, dict]:
    profiles = dict(
        Profile.objects.filter(person__in=person_ids)
        .exclude(language="")
        .values_list("person_id", "language")
    )
    countries = dict(
        Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "country")
    )
    return profiles, countries


# --- still to send ---------------------------------------------------------------------


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


def occasion_of(pulse: TrustPulse):
    model = pulse.occasion_type.model_class()
    return model.objects.filter(pk=pulse.occasion_id).first()


def pulses_to_send(pulse_ids) -> QuerySet[TrustPulse]:
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
