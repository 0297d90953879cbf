"""The demo's concerns between purchasers and providers, one of them overdue, and the count of
open actions for the summary.

One gap: a concern is raised only with a reply-by date in the future (raise_concern), and no
service raises one in the past, so the overdue concern is raised through the service and then
has its dates moved back (see `_backdate_concern`)."""

import datetime

from dialogue.models import ActionItem, Concern
from dialogue.services.concerns import acknowledge_concern, raise_concern


def _backdate_concern(concern: Concern, *, raised_days_ago: int, reply_by: datetime.date):
    """The one direct write of the demo, because no service raises a concern in the past:
    raise_concern refuses a reply-by date that has passed (rightly, for a real request), and
    an overdue concern only arises as time goes by. The concern was raised through the
    service, so its Event exists; only its two dates are moved back."""
    raised_at = concern.created_at - datetime.timedelta(days=raised_days_ago)
    Concern.objects.filter(pk=concern.pk).update(created_at=raised_at, reply_by=reply_by)


def raise_demo_concerns(
    *,
    today,
    municipality,
    municipal_manager,
    health_trust,
    trust_person,
    norwegian_programme,
    region,
    network,
    network_person,
    icb,
    icb_manager,
    community,
    community_person,
):
    soon = today + datetime.timedelta(days=14)
    late_notices = raise_concern(
        actor=municipal_manager,
        acting_for=municipality,
        raised_with=health_trust,
        programme=norwegian_programme,
        title="Utskrivningsmeldinger kommer etter kl. 15",
        description="Meldinger om utskrivningsklare pasienter kommer ofte etter kl. 15, når "
        "hjemmetjenesten ikke rekker å forberede mottaket samme dag.",
        reply_by=soon,
    )
    acknowledge_concern(actor=trust_person, acting_for=health_trust, concern=late_notices)
    weekend = raise_concern(
        actor=trust_person,
        acting_for=health_trust,
        raised_with=municipality,
        programme=norwegian_programme,
        title="Kommunen tar ikke imot utskrivningsklare pasienter i helgene",
        description="Pasienter blir liggende over helgen fordi korttidsplassene ikke tar "
        "imot fra fredag kl. 12.",
        reply_by=today + datetime.timedelta(days=1),
    )
    _backdate_concern(weekend, raised_days_ago=21, reply_by=today - datetime.timedelta(days=7))
    raise_concern(
        actor=network_person,
        acting_for=network,
        raised_with=region,
        title="Tolkkostnader ersätts inte",
        description="Kostnaden för tolk vid besök bärs av vårdgivaren; nätverket vill att "
        "den ersätts i den nya regelboken.",
        reply_by=today + datetime.timedelta(days=21),
    )
    copied = raise_concern(
        actor=community_person,
        acting_for=community,
        raised_with=icb,
        title="Community team not copied into discharge summaries",
        description="Patients discharged after a COPD exacerbation reach the community team "
        "days later because the summaries go only to the GP.",
        reply_by=soon,
    )
    acknowledge_concern(actor=icb_manager, acting_for=icb, concern=copied)
    return Concern.objects.count()


def open_action_count(today) -> tuple[int, int]:
    open_actions = ActionItem.objects.filter(status=ActionItem.Status.OPEN)
    return open_actions.count(), open_actions.filter(due_date__lt=today).count()
