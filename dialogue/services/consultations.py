"""Consultations on draft rulebooks (and contract versions in dialogue): the comment window.

Providers want to influence the rulebook *before* the region decides (the Swedish finding,
DESIGN.md), so a consultation is a comment window on a frozen draft:

    scheduled -> open -> closed

`CONSULTATION_LIFECYCLE` is the one table of legal moves. Opening moves the rulebook version
to "in consultation" and closing to "consultation closed", through contracts.services.rulebooks
in the same transaction, so that a version cannot be in consultation without a window.

Closing and changing the close time lock the consultation FOR UPDATE, so they never
interleave with a comment write (which holds it FOR SHARE: dialogue/services/comments.py).
Reads are in dialogue/selectors/consultations.py.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation, Participation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.transitions import Lifecycle
from contracts.models import Contract, ContractVersion, RulebookVersion
from contracts.services import rulebooks as rulebook_services
from dialogue.models import Consultation, ConsultationInvitation
from dialogue.selectors.consultations import format_local

Status = Consultation.Status
Kind = Organisation.Kind

CONSULTATION_LIFECYCLE = Lifecycle(
    Status,
    {
        Status.SCHEDULED: (Status.OPEN,),
        Status.OPEN: (Status.CLOSED,),
        Status.CLOSED: (),
    },
)

# Once open, the close may be brought forward only so far that providers still have a day:
# a window shortened to minutes would silence those who planned to answer.
MINIMUM_NOTICE = datetime.timedelta(hours=24)
CONSULTATION_FIELDS = {
    "title",
    "description",
    "opens_at",
    "closes_at",
    "visibility",
    "public",
    "invited",
}


# --- small rules ------------------------------------------------------------------------


def _require_aware(name: str, value) -> None:
    if value is not None and timezone.is_naive(value):
        raise RuleViolation(
            _(
                "%(field)s has no time zone; give one, e.g. 2026-05-04T17:00:00+02:00, so that "
                "everyone reads the same instant."
            )
            % {"field": name},
            fields={name: [_("Give a time zone offset or Z.")]},
            code="naive_datetime",
        )


def _require_transition(consultation: Consultation, target: str) -> None:
    CONSULTATION_LIFECYCLE.require(consultation.status, target)


def _locked(consultation: Consultation) -> Consultation:
    """FOR UPDATE: closing and moving the close time wait for comment writes in flight."""
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("programme", "purchaser", "rulebook_version")
        .get(pk=consultation.pk)
    )


# --- consultations ----------------------------------------------------------------------


def _document(*, rulebook_version, contract_version) -> tuple[Programme, str]:
    if (rulebook_version is None) == (contract_version is None):
        raise RuleViolation(
            _("Name one document to consult on: a rulebook version or a contract version."),
            fields={"rulebook_version": [_("Give this or a contract version, not both.")]},
            code="one_document",
        )
    if rulebook_version is not None:
        if rulebook_version.status != RulebookVersion.Status.DRAFT:
            raise Conflict(
                _(
                    "Version %(number)s is %(status)s; only a draft is consulted on. Make a new "
                    "version and consult on that."
                )
                % {
                    "number": rulebook_version.number,
                    "status": rulebook_version.get_status_display().lower(),
                },
                code="version_not_draft",
                details={"status": rulebook_version.status},
            )
        pending = Consultation.objects.filter(
            rulebook_version=rulebook_version, status__in=[Status.SCHEDULED, Status.OPEN]
        ).first()
        if pending is not None:
            raise Conflict(
                _("Version %(number)s already has a consultation (%(id)s); change that one.")
                % {"number": rulebook_version.number, "id": pending.id},
                code="consultation_exists",
                details={"consultation": pending.id},
            )
        return rulebook_version.rulebook.programme, "rulebook"
    contract = contract_version.contract
    if contract.status != Contract.Status.IN_DIALOGUE:
        raise Conflict(
            _("Contract %(contract)s is %(status)s; only a contract in dialogue is consulted on.")
            % {"contract": contract, "status": contract.get_status_display().lower()},
            code="contract_not_in_dialogue",
            details={"status": contract.status},
        )
    return contract.programme, "contract"


def _invitees(programme: Programme, invited) -> list[Organisation]:
    """Every provider and network of the programme by default, so that no provider is
    forgotten (the equal-treatment finding); an explicit list must take part in it."""
    participating = Organisation.objects.filter(
        id__in=Participation.objects.filter(programme=programme).values("organisation_id"),
        kind__in=[Kind.PROVIDER, Kind.PROVIDER_NETWORK],
    )
    if invited is None:
        return list(participating)
    wanted = {
        organisation.id if hasattr(organisation, "id") else organisation for organisation in invited
    }
    found = {o.id: o for o in participating.filter(id__in=wanted)}
    strangers = sorted(wanted - set(found))
    if strangers:
        raise RuleViolation(
            _(
                "Only providers and networks taking part in %(programme)s can be invited; these "
                "do not: %(ids)s. Add them to the programme first."
            )
            % {"programme": programme.name, "ids": ", ".join(map(str, strangers))},
            fields={"invited": [_("Not a provider or network of the programme.")]},
            code="not_a_participant",
        )
    if not found:
        raise RuleViolation(
            _("Invite at least one provider or network."),
            fields={"invited": [_("Empty.")]},
            code="nobody_invited",
        )
    return list(found.values())


def _check_times(*, opens_at, closes_at) -> None:
    _require_aware("opens_at", opens_at)
    _require_aware("closes_at", closes_at)
    if closes_at <= opens_at:
        raise RuleViolation(
            _("The consultation must close after it opens; move the close time later."),
            fields={"closes_at": [_("Must be after the time it opens.")]},
            code="closes_before_opening",
        )
    if closes_at <= timezone.now():
        raise RuleViolation(
            _("The close time is in the past; give a close time in the future."),
            fields={"closes_at": [_("Must be in the future.")]},
            code="closes_in_the_past",
        )


def _invitation_state(consultation: Consultation) -> dict:
    return snapshot(
        consultation,
        extra={
            "invited": sorted(consultation.invitations.values_list("organisation_id", flat=True))
        },
    )


@transaction.atomic
def create_consultation(
    *,
    actor,
    acting_for: Organisation,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    rulebook_version: RulebookVersion | None = None,
    contract_version: ContractVersion | None = None,
    description: str = "",
    visibility: str = Consultation.Visibility.PRIVATE_UNTIL_CLOSE,
    public: bool = True,
    invited=None,
) -> Consultation:
    if rulebook_version is not None:
        rulebook_version = RulebookVersion.objects.select_related("rulebook__programme").get(
            pk=rulebook_version.pk
        )
    if contract_version is not None:
        contract_version = ContractVersion.objects.select_related("contract__programme").get(
            pk=contract_version.pk
        )
    programme, _kind = _document(
        rulebook_version=rulebook_version, contract_version=contract_version
    )
    programme = Programme.objects.select_related("purchaser").get(pk=programme.pk)
    policies.require_purchaser_staff(actor, acting_for, programme.purchaser)
    _check_times(opens_at=opens_at, closes_at=closes_at)
    organisations = _invitees(programme, invited)
    consultation = Consultation.objects.create(
        purchaser=programme.purchaser,
        programme=programme,
        rulebook_version=rulebook_version,
        contract_version=contract_version,
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        visibility=visibility,
        public=public,
        created_by=actor,
    )
    ConsultationInvitation.objects.bulk_create(
        ConsultationInvitation(consultation=consultation, organisation=o) for o in organisations
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="consultation.created",
        subject=consultation,
        after=_invitation_state(consultation),
        purchaser=programme.purchaser,
    )
    return consultation


@transaction.atomic
def update_consultation(
    *, actor, acting_for: Organisation, consultation: Consultation, **changes
) -> Consultation:
    """Everything may change while scheduled; once open, only the close time moves, and only
    through extend_consultation."""
    unknown = set(changes) - CONSULTATION_FIELDS
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    consultation = _locked(consultation)
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    if consultation.status != Status.SCHEDULED:
        raise Conflict(
            _(
                "The consultation is %(status)s; only a scheduled one is changed. To give "
                "providers more time, extend it."
            )
            % {"status": consultation.get_status_display().lower()},
            code="consultation_not_scheduled",
            details={"status": consultation.status},
        )
    before = _invitation_state(consultation)
    invited = changes.pop("invited", None)
    for name, value in changes.items():
        setattr(consultation, name, value)
    _check_times(opens_at=consultation.opens_at, closes_at=consultation.closes_at)
    consultation.save()
    if invited is not None:
        organisations = _invitees(consultation.programme, invited)
        consultation.invitations.exclude(organisation__in=organisations).delete()
        existing = set(consultation.invitations.values_list("organisation_id", flat=True))
        ConsultationInvitation.objects.bulk_create(
            ConsultationInvitation(consultation=consultation, organisation=o)
            for o in organisations
            if o.id not in existing
        )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="consultation.updated",
        subject=consultation,
        before=before,
        after=_invitation_state(consultation),
        purchaser=consultation.purchaser,
    )
    return consultation


@transaction.atomic
def open_consultation(*, actor, acting_for: Organisation, consultation: Consultation):
    """Scheduled -> open. Opening before opens_at is allowed (an officer ready early should
    not have to wait for a clock); opens_at then becomes the moment it really opened."""
    consultation = _locked(consultation)
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    _require_transition(consultation, Status.OPEN)
    now = timezone.now()
    if consultation.closes_at <= now:
        raise Conflict(
            _("The close time %(closes)s has passed; move it later before opening.")
            % {"closes": format_local(consultation, consultation.closes_at)},
            code="close_time_passed",
            details={"closes_at": consultation.closes_at.isoformat()},
        )
    before = snapshot(consultation)
    if consultation.rulebook_version_id is not None:
        # The version freezes as it opens: providers comment on exactly this text.
        rulebook_services.open_consultation_on_version(
            actor=actor, acting_for=acting_for, version=consultation.rulebook_version
        )
    consultation.status = Status.OPEN
    consultation.opened_at = now
    consultation.opens_at = min(consultation.opens_at, now)
    consultation.save(update_fields=["status", "opened_at", "opens_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="consultation.opened",
        subject=consultation,
        before=before,
        after=snapshot(consultation),
        purchaser=consultation.purchaser,
    )
    return consultation


@transaction.atomic
def close_consultation(*, actor, acting_for: Organisation, consultation: Consultation):
    """Open -> closed, once closes_at has passed: closing early would shorten the window
    below what providers were promised."""
    consultation = _locked(consultation)
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    _require_transition(consultation, Status.CLOSED)
    now = timezone.now()
    if now < consultation.closes_at:
        raise Conflict(
            _(
                "The consultation is open until %(closes)s; it can be closed only after that. "
                "Providers were promised that time."
            )
            % {"closes": format_local(consultation, consultation.closes_at)},
            code="close_time_not_reached",
            details={"closes_at": consultation.closes_at.isoformat(), "allowed": []},
        )
    before = snapshot(consultation)
    if consultation.rulebook_version_id is not None:
        rulebook_services.close_consultation_on_version(
            actor=actor, acting_for=acting_for, version=consultation.rulebook_version
        )
    consultation.status = Status.CLOSED
    consultation.closed_at = now
    consultation.save(update_fields=["status", "closed_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="consultation.closed",
        subject=consultation,
        before=before,
        after=snapshot(consultation),
        purchaser=consultation.purchaser,
    )
    return consultation


@transaction.atomic
def extend_consultation(
    *, actor, acting_for: Organisation, consultation: Consultation, closes_at: datetime.datetime
):
    """Move the close time of a scheduled or open consultation before it passes. Later is
    always allowed; earlier only while scheduled or, once open, to no less than now + 24 h."""
    _require_aware("closes_at", closes_at)
    consultation = _locked(consultation)
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    now = timezone.now()
    if consultation.status == Status.CLOSED or now >= consultation.closes_at:
        raise Conflict(
            _("The consultation closed at %(closes)s; its close time can no longer be moved.")
            % {"closes": format_local(consultation, consultation.closes_at)},
            code="consultation_closed",
            details={"closes_at": consultation.closes_at.isoformat()},
        )
    if closes_at == consultation.closes_at:
        raise RuleViolation(
            _("That is the current close time; give a different one."),
            fields={"closes_at": [_("Unchanged.")]},
            code="close_time_unchanged",
        )
    if closes_at <= consultation.opens_at:
        raise RuleViolation(
            _("The consultation must close after it opens; move the close time later."),
            fields={"closes_at": [_("Must be after the time it opens.")]},
            code="closes_before_opening",
        )
    earliest = now + MINIMUM_NOTICE
    shortened = closes_at < consultation.closes_at
    if shortened and consultation.status == Status.OPEN and closes_at < earliest:
        raise RuleViolation(
            _(
                "An open consultation cannot be shortened to close before %(earliest)s "
                "(24 hours from now): providers must keep at least a day."
            )
            % {"earliest": format_local(consultation, earliest)},
            fields={"closes_at": [_("At least 24 hours from now.")]},
            code="too_short_notice",
            details={"earliest": earliest.isoformat()},
        )
    if closes_at <= now:
        raise RuleViolation(
            _("The close time is in the past; give a close time in the future."),
            fields={"closes_at": [_("Must be in the future.")]},
            code="closes_in_the_past",
        )
    before = snapshot(consultation)
    verb = (
        "consultation.extended" if closes_at > consultation.closes_at else "consultation.shortened"
    )
    consultation.closes_at = closes_at
    consultation.save(update_fields=["closes_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=consultation,
        before=before,
        after=snapshot(consultation),
        purchaser=consultation.purchaser,
    )
    return consultation
