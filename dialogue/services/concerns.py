"""Concerns: the Norwegian purchaser units' "formal dialogue about the challenges". One
organisation of a purchaser–provider relationship raises a challenge with the other side
("discharge notices arrive after 3 pm") with a reply deadline; it is acknowledged, discussed
at a meeting, and resolved, or withdrawn by whoever raised it.

Every write of concerns; the reads are in dialogue/selectors/concerns.py. The transition
table lives here; the API lists the allowed next states from it.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Forbidden, RuleViolation
from commissioning.models import Organisation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.transitions import Lifecycle
from dialogue.models import Concern, Meeting
from dialogue.selectors.concerns import in_relationship

Status = Concern.Status
Kind = Organisation.Kind
PROVIDER_SIDE = {Kind.PROVIDER, Kind.PROVIDER_NETWORK}
HELD_STATUSES = (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED)

# The one transition table. Acknowledging comes first because the time it takes is what
# the relationship health measures (and a concern unacknowledged past its deadline is
# overdue); a concern may be resolved without a meeting once acknowledged.
CONCERN_LIFECYCLE = Lifecycle(
    Status,
    {
        Status.RAISED: (Status.ACKNOWLEDGED, Status.WITHDRAWN),
        Status.ACKNOWLEDGED: (Status.DISCUSSED, Status.RESOLVED, Status.WITHDRAWN),
        Status.DISCUSSED: (Status.RESOLVED, Status.WITHDRAWN),
        Status.RESOLVED: (),
        Status.WITHDRAWN: (),
    },
    closed=_("nothing (it is closed)"),
)


def require_speaks_for(actor, acting_for: Organisation) -> None:
    """Purchaser staff speak for a purchaser, provider representatives for a provider or a
    network; politicians and everyone else read at most."""
    standing = policies.standing_of(actor)
    if acting_for.id in standing.staff_purchasers:
        return
    if acting_for.id in standing.provider_organisations and acting_for.kind in PROVIDER_SIDE:
        return
    raise Forbidden(
        _(
            "Only commissioning staff of a purchaser or representatives of a provider or "
            "network can raise and answer concerns; %(organisation)s cannot."
        )
        % {"organisation": acting_for.name},
        code="cannot_act_on_concerns",
    )


def _require_transition(concern: Concern, target: str) -> None:
    CONCERN_LIFECYCLE.require(concern.status, target)


def _lock(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().get(pk=concern.pk)


@transaction.atomic
def raise_concern(
    *,
    actor,
    acting_for: Organisation,
    raised_with: Organisation,
    title: str,
    reply_by: datetime.date,
    description: str = "",
    programme: Programme | None = None,
) -> Concern:
    require_speaks_for(actor, acting_for)
    if acting_for.kind == Kind.PURCHASER:
        purchaser, other = acting_for, raised_with
        other_is_right_kind = raised_with.kind in PROVIDER_SIDE
    else:
        purchaser, other = raised_with, acting_for
        other_is_right_kind = raised_with.kind == Kind.PURCHASER
    if not other_is_right_kind or not in_relationship(purchaser, other):
        raise RuleViolation(
            _(
                "A concern is raised with the other side of a relationship: a purchaser with a "
                "provider or network that has a contract with it or takes part in one of its "
                "programmes, or the other way round. %(name)s is not."
            )
            % {"name": raised_with.name},
            fields={"raised_with": [_("Not the other side of a relationship of yours.")]},
            code="not_in_relationship",
        )
    if reply_by <= timezone.localdate():
        raise RuleViolation(
            _("The reply-by date must be in the future; give the other side time to answer."),
            fields={"reply_by": [_("Must be after today.")]},
        )
    if programme is not None and programme.purchaser_id != purchaser.id:
        raise RuleViolation(
            _("The programme must be one of %(purchaser)s's programmes.")
            % {"purchaser": purchaser.name},
            fields={"programme": [_("Belongs to another purchaser.")]},
        )
    concern = Concern.objects.create(
        purchaser=purchaser,
        raised_by=acting_for,
        raised_with=raised_with,
        programme=programme,
        title=title,
        description=description,
        reply_by=reply_by,
        raised_by_person=actor,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="concern.raised",
        subject=concern,
        after=snapshot(concern),
        purchaser=purchaser,
    )
    return concern


def _save_transition(concern, *, actor, acting_for, verb, before) -> Concern:
    concern.save()
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=concern,
        before=before,
        after=snapshot(concern),
        purchaser=concern.purchaser,
    )
    return concern


@transaction.atomic
def acknowledge_concern(*, actor, acting_for: Organisation, concern: Concern) -> Concern:
    """The side it was raised with says it has heard it: the step the reply-by date is for."""
    concern = _lock(concern)
    require_speaks_for(actor, acting_for)
    if acting_for.id != concern.raised_with_id:
        raise Forbidden(
            _("Only %(name)s, which this concern was raised with, can acknowledge it.")
            % {"name": concern.raised_with.name},
            code="not_raised_with",
        )
    _require_transition(concern, Status.ACKNOWLEDGED)
    before = snapshot(concern)
    concern.status = Status.ACKNOWLEDGED
    concern.acknowledged_at = timezone.now()
    return _save_transition(
        concern, actor=actor, acting_for=acting_for, verb="concern.acknowledged", before=before
    )


@transaction.atomic
def mark_concern_discussed(
    *, actor, acting_for: Organisation, concern: Concern, meeting: Meeting
) -> Concern:
    """Recorded by the purchaser's staff, who keep the meetings, against a held meeting of
    that purchaser: the Norwegian finding that the concern log is discussed in meetings."""
    concern = _lock(concern)
    policies.require_purchaser_staff(actor, acting_for, concern.purchaser)
    _require_transition(concern, Status.DISCUSSED)
    if meeting.purchaser_id != concern.purchaser_id:
        raise RuleViolation(
            _("The meeting must be one of %(purchaser)s's meetings.")
            % {"purchaser": concern.purchaser.name},
            fields={"meeting": [_("A meeting of another purchaser.")]},
        )
    if meeting.status not in HELD_STATUSES:
        raise RuleViolation(
            _(
                "The meeting '%(title)s' is %(status)s; log it as held first, then mark the "
                "concern as discussed at it."
            )
            % {"title": meeting.title, "status": meeting.get_status_display().lower()},
            fields={"meeting": [_("Not a held meeting.")]},
        )
    before = snapshot(concern)
    concern.status = Status.DISCUSSED
    concern.discussed_at = meeting
    return _save_transition(
        concern, actor=actor, acting_for=acting_for, verb="concern.discussed", before=before
    )


@transaction.atomic
def resolve_concern(
    *, actor, acting_for: Organisation, concern: Concern, resolution: str
) -> Concern:
    concern = _lock(concern)
    require_speaks_for(actor, acting_for)
    if acting_for.id not in {concern.raised_by_id, concern.raised_with_id}:
        raise Forbidden(_("Only the two sides of this concern can resolve it."), code="not_a_side")
    _require_transition(concern, Status.RESOLVED)
    if not resolution.strip():
        raise RuleViolation(
            _("Say how the concern was resolved: the resolution is kept for both sides."),
            fields={"resolution": [_("Required.")]},
        )
    before = snapshot(concern)
    concern.status = Status.RESOLVED
    concern.resolution = resolution.strip()
    concern.closed_at = timezone.now()
    return _save_transition(
        concern, actor=actor, acting_for=acting_for, verb="concern.resolved", before=before
    )


@transaction.atomic
def withdraw_concern(*, actor, acting_for: Organisation, concern: Concern) -> Concern:
    concern = _lock(concern)
    require_speaks_for(actor, acting_for)
    if acting_for.id != concern.raised_by_id:
        raise Forbidden(
            _("Only %(name)s, which raised this concern, can withdraw it.")
            % {"name": concern.raised_by.name},
            code="not_raised_by",
        )
    _require_transition(concern, Status.WITHDRAWN)
    before = snapshot(concern)
    concern.status = Status.WITHDRAWN
    concern.closed_at = timezone.now()
    return _save_transition(
        concern, actor=actor, acting_for=acting_for, verb="concern.withdrawn", before=before
    )
