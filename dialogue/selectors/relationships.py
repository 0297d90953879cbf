"""Relationship health: for each purchaser–provider pair that has a contract or takes part in
a programme, how long since they last met, what is open between them, and whether it needs
attention. The Norwegian finding that meeting points were lost is why a relationship alerts
after N days without a held meeting (N per purchaser, RelationshipSettings, default 90).

Definitions (also in the README):
- a relationship is a purchaser and a provider or provider network that is party to one of
  its contracts or takes part in one of its programmes;
- the last meeting is the latest held meeting (status held or minutes approved) of the
  purchaser at which the provider was recorded *present* in the meeting's current attendance
  revision (the highest number). Being invited is not enough: an invitation nobody came to
  is not a meeting point;
- open concerns are raised, acknowledged or discussed, between the purchaser and the provider
  in either direction; overdue ones are still unacknowledged after their reply-by date;
- open actions are open action items owned by the provider from the purchaser's meetings;
  overdue ones are past their due date;
- the median days to acknowledge is over every acknowledged concern raised with or by the
  provider in that relationship, in days with one decimal, or null when none was;
- the alert is on when the provider never met the purchaser or the last meeting is at least
  N days ago.

Most in need of attention first: alerting relationships, then by the number of overdue
concerns and actions, then by the number of open ones, then the longest without a meeting
(never met first), then by purchaser and provider name.

Every figure is one grouped query over all the relationships in view (a constant number of
queries whatever the page size; the last meeting takes up to three, see _last_meetings); the
pairs are sorted in Python, since the order depends on every figure.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from commissioning import policies
from commissioning.models import Organisation, Participation
from contracts.models import ContractParty
from dialogue.models import (
    ActionItem,
    AttendanceEntry,
    AttendanceRevision,
    Concern,
    Meeting,
    RelationshipSettings,
)
from dialogue.selectors.concerns import OPEN_STATUSES

DEFAULT_ALERT_DAYS = RelationshipSettings._meta.get_field("no_meeting_alert_days").default
PROVIDER_SIDE = [Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK]
HELD_STATUSES = [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
# How far back the first look for a relationship's last meeting goes (see _last_meetings).
RECENT_DAYS = 365


@dataclass
class Relationship:
    purchaser_id: int
    purchaser_name: str
    provider_id: int
    provider_name: str
    provider_kind: str
    provider_ownership: str
    last_meeting_on: datetime.date | None = None
    days_since_last_meeting: int | None = None
    open_concerns: int = 0
    overdue_concerns: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    median_days_to_acknowledge: float | None = None
    alert_after_days: int = DEFAULT_ALERT_DAYS
    no_meeting_alert: bool = True

    @property
    def purchaser_brief(self) -> dict:
        return {"id": self.purchaser_id, "name": self.purchaser_name}

    @property
    def provider_brief(self) -> dict:
        return {
            "id": self.provider_id,
            "name": self.provider_name,
            "kind": self.provider_kind,
            "ownership": self.provider_ownership,
        }

    @property
    def attention_key(self) -> tuple:
        days = self.days_since_last_meeting
        return (
            not self.no_meeting_alert,
            -(self.overdue_concerns + self.overdue_actions),
            -(self.open_concerns + self.open_actions),
            -(days if days is not None else 10**9),
            self.purchaser_name.casefold(),
            self.provider_name.casefold(),
            self.purchaser_id,
            self.provider_id,
        )


def _pairs(person, *, purchaser_id=None, provider_id=None) -> list[Relationship]:
    """The relationships the person may read: a purchaser's staff and its politicians read
    the purchaser's; a provider (or network) representative reads their own organisation's.
    A provider does not read the relationships of its network's other members."""
    standing = policies.standing_of(person)
    scope = Q(purchaser_id__in=standing.readable_purchasers) | Q(
        provider_id__in=standing.provider_organisations
    )
    by_programme = (
        Participation.objects.filter(
            programme__in=policies.visible_programmes(person),
            organisation__kind__in=PROVIDER_SIDE,
        )
        .annotate(purchaser_id=F("programme__purchaser_id"), provider_id=F("organisation_id"))
        .filter(scope)
    )
    by_contract = (
        ContractParty.objects.filter(
            contract__in=policies.visible_contracts(person),
            organisation__kind__in=PROVIDER_SIDE,
        )
        .annotate(purchaser_id=F("contract__purchaser_id"), provider_id=F("organisation_id"))
        .filter(scope)
    )
    if purchaser_id is not None:
        by_programme = by_programme.filter(purchaser_id=purchaser_id)
        by_contract = by_contract.filter(purchaser_id=purchaser_id)
    if provider_id is not None:
        by_programme = by_programme.filter(provider_id=provider_id)
        by_contract = by_contract.filter(provider_id=provider_id)
    # No ORDER BY inside the UNION's parts (the models' default ordering): SQLite refuses it.
    rows = (
        by_programme.order_by()
        .values_list(
            "programme__purchaser_id",
            "programme__purchaser__name",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "organisation__ownership",
        )
        .union(
            by_contract.order_by().values_list(
                "contract__purchaser_id",
                "contract__purchaser__name",
                "organisation_id",
                "organisation__name",
                "organisation__kind",
                "organisation__ownership",
            )
        )
    )
    return [Relationship(*row) for row in rows]


def _present(purchasers) -> QuerySet[AttendanceEntry]:
    """Present in the current attendance revision (no later revision of the same meeting) of
    a held meeting of one of the purchasers."""
    later_revision = AttendanceRevision.objects.filter(
        meeting=OuterRef("revision__meeting"), number__gt=OuterRef("revision__number")
    )
    return AttendanceEntry.objects.filter(
        status=AttendanceEntry.Status.PRESENT,
        revision__meeting__purchaser__in=purchasers,
        revision__meeting__status__in=HELD_STATUSES,
    ).filter(~Exists(later_revision))


def _latest_by_pair(entries: QuerySet[AttendanceEntry]) -> dict[tuple[int, int], datetime.datetime]:
    return {
        (purchaser, organisation): last
        for purchaser, organisation, last in entries.values_list(
            "revision__meeting__purchaser_id", "organisation_id"
        ).annotate(last=Max("revision__meeting__starts_at"))
    }


def _last_meetings(purchasers, providers, pairs) -> dict[tuple[int, int], datetime.datetime]:
    """The start of the last meeting of each pair, where they ever met.

    Read in steps, because reading every attendance of years of meetings on each request was
    the slow part of the list (bench/list_endpoints.py): the last year first, which finds
    the pairs that meet at all regularly from a fraction of the rows; then, for the pairs
    not found there, whether the provider was ever present at all (an index lookup each),
    and the whole history only of those that were. The result is the same as one query over
    all of it: a pair's latest meeting within the year is its latest."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    last_met = _latest_by_pair(
        _present(purchasers).filter(
            organisation__in=providers, revision__meeting__starts_at__gte=since
        )
    )
    missing = pairs - set(last_met)
    if not missing:
        return last_met
    missing_purchasers = {purchaser for purchaser, _ in missing}
    # One entry of the provider (LIMIT 1) in the SELECT list: PostgreSQL runs it per row, an
    # index lookup each; as EXISTS it would hash (or join) all of the purchaser's attendance,
    # which is what this step avoids.
    ever_present = {
        provider
        for provider, entry in Organisation.objects.filter(
            id__in={provider for _, provider in missing}
        )
        .order_by()
        .annotate(
            entry=Subquery(
                _present(missing_purchasers).filter(organisation=OuterRef("pk")).values("pk")[:1]
            )
        )
        .values_list("id", "entry")
        if entry is not None
    }
    if ever_present:
        earlier = _latest_by_pair(
            _present(missing_purchasers).filter(organisation__in=ever_present)
        )
        last_met.update({pair: last for pair, last in earlier.items() if pair in missing})
    return last_met


def _concern_figures(purchasers, providers, today: datetime.date):
    """Per (purchaser, other side): [open, overdue] concern counts and the days each
    acknowledgement took. One query for both: a concern is counted for the side of it that
    is not the purchaser."""
    concern_scope = Concern.objects.filter(purchaser__in=purchasers).filter(
        Q(raised_by__in=providers) | Q(raised_with__in=providers)
    )
    concern_counts: dict[tuple[int, int], list[int]] = {}
    acknowledge_days: dict[tuple[int, int], list[float]] = {}
    for (
        purchaser,
        raised_by,
        raised_with,
        status,
        reply_by,
        created,
        acknowledged,
    ) in concern_scope.values_list(
        "purchaser_id",
        "raised_by_id",
        "raised_with_id",
        "status",
        "reply_by",
        "created_at",
        "acknowledged_at",
    ):
        other = raised_with if raised_by == purchaser else raised_by
        key = (purchaser, other)
        counts = concern_counts.setdefault(key, [0, 0])
        if status in OPEN_STATUSES:
            counts[0] += 1
        if status == Concern.Status.RAISED and reply_by < today:
            counts[1] += 1
        if acknowledged is not None:
            seconds = (acknowledged - created).total_seconds()
            acknowledge_days.setdefault(key, []).append(seconds / 86400)
    return concern_counts, acknowledge_days


def _action_counts(purchasers, providers, today: datetime.date) -> dict:
    """Per (purchaser, provider): (open, overdue) actions the provider owns."""
    return {
        (p, o): (open_count, overdue_count)
        for p, o, open_count, overdue_count in ActionItem.objects.filter(
            status=ActionItem.Status.OPEN,
            owner_organisation__in=providers,
            meeting__purchaser__in=purchasers,
        )
        .values_list("meeting__purchaser_id", "owner_organisation_id")
        .annotate(
            open_count=Count("id"),
            overdue_count=Count("id", filter=Q(due_date__lt=today)),
        )
    }


def relationship_health(
    *,
    person,
    purchaser_id: int | None = None,
    provider_id: int | None = None,
    today: datetime.date | None = None,
) -> list[Relationship]:
    """Every relationship the person may read with its figures, most in need of attention
    first. A constant number of queries: one for the pairs, one per figure."""
    today = today or timezone.localdate()
    relationships = _pairs(person, purchaser_id=purchaser_id, provider_id=provider_id)
    if not relationships:
        return []
    by_pair = {(r.purchaser_id, r.provider_id): r for r in relationships}
    purchasers = {r.purchaser_id for r in relationships}
    providers = {r.provider_id for r in relationships}

    alert_days = dict(
        RelationshipSettings.objects.filter(purchaser__in=purchasers).values_list(
            "purchaser_id", "no_meeting_alert_days"
        )
    )
    last_met = _last_meetings(purchasers, providers, set(by_pair))
    concern_counts, acknowledge_days = _concern_figures(purchasers, providers, today)
    action_counts = _action_counts(purchasers, providers, today)

    for key, relationship in by_pair.items():
        relationship.alert_after_days = alert_days.get(key[0], DEFAULT_ALERT_DAYS)
        last = last_met.get(key)
        if last is not None:
            relationship.last_meeting_on = timezone.localdate(last)
            relationship.days_since_last_meeting = (today - relationship.last_meeting_on).days
        relationship.open_concerns, relationship.overdue_concerns = concern_counts.get(key, (0, 0))
        relationship.open_actions, relationship.overdue_actions = action_counts.get(key, (0, 0))
        days = acknowledge_days.get(key)
        if days:
            relationship.median_days_to_acknowledge = round(statistics.median(days), 1)
        relationship.no_meeting_alert = (
            relationship.days_since_last_meeting is None
            or relationship.days_since_last_meeting >= relationship.alert_after_days
        )
    return sorted(relationships, key=lambda r: r.attention_key)
