"""Consultations on draft rulebooks (and contract versions in dialogue), and their comments.

Providers want to influence the rulebook *before* the region decides (the Swedish finding,
DESIGN.md), so a consultation is a comment window on a frozen draft:

    scheduled -> open -> closed

`CONSULTATION_LIFECYCLE` is the one table of legal moves. Opening moves the rulebook version
to "in consultation" and closing to "consultation closed", through contracts.services.rulebooks
in the same transaction, so that a version cannot be in consultation without a window.

The server-side window: every comment write (submit, edit, withdraw, co-sign, withdraw a
signature) locks the consultation row FOR SHARE and takes its acceptance instant *after* the
lock, inside the transaction; closing and changing the close time lock it FOR UPDATE. A close
or an extension therefore never interleaves with a comment write, and a write is accepted only
when every instant it records (submitted_at, a revision's created_at, withdrawn_at, signed_at)
is before closes_at. Many writers share the lock, so the close-time surge is not serialised.
"""

import datetime
import zoneinfo

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, Forbidden, NotFound, RuleViolation
from commissioning.models import NetworkMembership, Organisation, Participation, Programme
from commissioning.services.events import record_event, snapshot
from commissioning.transitions import Lifecycle
from contracts.models import Clause, Contract, ContractVersion, RulebookVersion
from contracts.services import rulebooks as rulebook_services
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
    Response,
)

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
# a window shortened to minutes would silence those who planned to answer (the rule).
MINIMUM_NOTICE = datetime.timedelta(hours=24)
# Long enough for a reasoned objection with suggested wording, short enough that one comment
# cannot swamp the summary or the PDF report.
BODY_MAX_CHARS = 20_000
SUGGESTED_WORDING_MAX_CHARS = 10_000
CONSULTATION_FIELDS = {"title", "description", "opens_at", "closes_at", "visibility", "invited"}


# --- small rules ------------------------------------------------------------------------


def local_time(consultation: Consultation, moment: datetime.datetime) -> datetime.datetime:
    """A moment in the programme's time zone: what an officer or provider reads."""
    try:
        zone = zoneinfo.ZoneInfo(consultation.programme.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return moment.astimezone(zone)


def _format_local(consultation: Consultation, moment: datetime.datetime) -> str:
    return local_time(consultation, moment).strftime("%Y-%m-%d %H:%M %Z")


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


def _share_locked(consultation_id: int) -> Consultation:
    """FOR SHARE: comment writes run side by side, but never beside a close or an extension."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM dialogue_consultation WHERE id = %s FOR SHARE", [consultation_id]
            )
    # (SQLite, the embedded default, serialises every write transaction anyway.)
    return Consultation.objects.select_related("programme", "purchaser").get(pk=consultation_id)


def _acceptance_instant(consultation: Consultation, now=None) -> datetime.datetime:
    """The instant a comment write is accepted, taken under the lock; refused once closed."""
    now = now or timezone.now()
    if consultation.status == Status.SCHEDULED:
        raise Conflict(
            _("The consultation is not open yet; it opens at %(opens)s. Send your comment then.")
            % {"opens": _format_local(consultation, consultation.opens_at)},
            code="consultation_not_open",
            details={"opens_at": consultation.opens_at.isoformat()},
        )
    if consultation.status == Status.CLOSED or now >= consultation.closes_at:
        raise Conflict(
            _(
                "The consultation closed at %(closes)s; comments and signatures can no longer "
                "be added or changed. Nothing was changed."
            )
            % {"closes": _format_local(consultation, consultation.closes_at)},
            code="consultation_closed",
            details={
                "closes_at": consultation.closes_at.isoformat(),
                "closes_at_local": local_time(consultation, consultation.closes_at).isoformat(),
                "time_zone": consultation.programme.time_zone,
            },
        )
    return now


# --- consultations ----------------------------------------------------------------------


def _document(*, rulebook_version, contract_version) -> tuple[Programme, str]:
    if (rulebook_version is None) == (contract_version is None):
        raise RuleViolation(
            _("Name one document to consult on: a rulebook version or a contract version."),
            fields={"rulebook_version": [_("Give this or contract_version, not both.")]},
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
            _("The consultation must close after it opens; move closes_at later."),
            fields={"closes_at": [_("Must be after opens_at.")]},
            code="closes_before_opening",
        )
    if closes_at <= timezone.now():
        raise RuleViolation(
            _("closes_at is in the past; give a close time in the future."),
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
            _("The close time %(closes)s has passed; move closes_at later before opening.")
            % {"closes": _format_local(consultation, consultation.closes_at)},
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
    below what providers were promised, which the issue forbids."""
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
            % {"closes": _format_local(consultation, consultation.closes_at)},
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
            % {"closes": _format_local(consultation, consultation.closes_at)},
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
            _("The consultation must close after it opens; move closes_at later."),
            fields={"closes_at": [_("Must be after opens_at.")]},
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
            % {"earliest": _format_local(consultation, earliest)},
            fields={"closes_at": [_("At least 24 hours from now.")]},
            code="too_short_notice",
            details={"earliest": earliest.isoformat()},
        )
    if closes_at <= now:
        raise RuleViolation(
            _("closes_at is in the past; give a close time in the future."),
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


# --- comments ---------------------------------------------------------------------------


def _require_commenter(actor, acting_for: Organisation, consultation: Consultation) -> None:
    """An invited provider or network, or a member provider of an invited network: the
    network's invitation reaches its members, who may speak for themselves too."""
    standing = policies.standing_of(actor)
    if acting_for.id not in standing.provider_organisations:
        raise Forbidden(
            _(
                "Comments are made by providers and provider networks, through their "
                "representatives; %(organisation)s cannot comment."
            )
            % {"organisation": acting_for.name},
            code="not_a_commenter",
        )
    invited = set(consultation.invitations.values_list("organisation_id", flat=True))
    if acting_for.id in invited:
        return
    networks = NetworkMembership.objects.filter(provider=acting_for, network__in=invited)
    if not networks.exists():
        raise Forbidden(
            _(
                "%(organisation)s is not invited to this consultation (nor is a network it "
                "belongs to), so it cannot comment. Ask %(purchaser)s to invite it."
            )
            % {"organisation": acting_for.name, "purchaser": consultation.purchaser.name},
            code="not_invited",
        )


def _clean_anchor(consultation, clause, span_start, span_end, quoted_text):
    if clause is None:
        if span_start is not None or span_end is not None or quoted_text:
            raise RuleViolation(
                _("A quoted span needs a clause; name the clause it is quoted from."),
                fields={"clause": [_("Required with a span.")]},
                code="span_without_clause",
            )
        return
    if (
        consultation.rulebook_version_id is None
        or clause.version_id != consultation.rulebook_version_id
    ):
        raise RuleViolation(
            _(
                "Clause %(key)s is not part of the version under consultation; anchor the "
                "comment to a clause of that version."
            )
            % {"key": clause.key},
            fields={"clause": [_("Not a clause of the consulted version.")]},
            code="clause_of_another_version",
        )
    if span_start is None and span_end is None:
        if quoted_text:
            raise RuleViolation(
                _("Give span_start and span_end with the quoted text."),
                fields={"span_start": [_("Required with quoted_text.")]},
                code="span_incomplete",
            )
        return
    if span_start is None or span_end is None:
        missing = "span_start" if span_start is None else "span_end"
        raise RuleViolation(
            _("Give both span_start and span_end, or neither."),
            fields={missing: [_("Required with the other end of the span.")]},
            code="span_incomplete",
        )
    length = len(clause.text)
    if span_start < 0 or span_start >= length:
        raise RuleViolation(
            _(
                "span_start %(start)s is outside clause %(key)s, whose text has %(length)s "
                "characters."
            )
            % {"start": span_start, "key": clause.key, "length": length},
            fields={"span_start": [_("Outside the clause text.")]},
            code="span_outside_clause",
        )
    if span_end <= span_start or span_end > length:
        raise RuleViolation(
            _(
                "span_end %(end)s must be after span_start and at most %(length)s, the length "
                "of clause %(key)s."
            )
            % {"end": span_end, "key": clause.key, "length": length},
            fields={"span_end": [_("Outside the clause text.")]},
            code="span_outside_clause",
        )
    if quoted_text != clause.text[span_start:span_end]:
        raise RuleViolation(
            _(
                "The quoted text does not match characters %(start)s to %(end)s of clause "
                "%(key)s; quote them exactly."
            )
            % {"start": span_start, "end": span_end, "key": clause.key},
            fields={"quoted_text": [_("Not the text of the span.")]},
            code="quote_mismatch",
        )


def _clean_text(kind: str, body: str, suggested_wording: str) -> None:
    if not body or not body.strip():
        raise RuleViolation(
            _("Write the comment: the body is empty."),
            fields={"body": [_("Required.")]},
            code="empty_comment",
        )
    if len(body) > BODY_MAX_CHARS:
        raise RuleViolation(
            _("The comment has %(length)s characters; the limit is %(max)s. Shorten it.")
            % {"length": len(body), "max": BODY_MAX_CHARS},
            fields={"body": [_("Too long.")]},
            code="comment_too_long",
        )
    if len(suggested_wording) > SUGGESTED_WORDING_MAX_CHARS:
        raise RuleViolation(
            _("The suggested wording has %(length)s characters; the limit is %(max)s.")
            % {"length": len(suggested_wording), "max": SUGGESTED_WORDING_MAX_CHARS},
            fields={"suggested_wording": [_("Too long.")]},
            code="suggested_wording_too_long",
        )
    if kind == Comment.Kind.PROPOSAL and not suggested_wording.strip():
        raise RuleViolation(
            _("A proposal says how the text should read: give the suggested wording."),
            fields={"suggested_wording": [_("Required for a proposal.")]},
            code="proposal_without_wording",
        )


def _comment_state(comment: Comment, revision: CommentRevision | None = None) -> dict:
    extra = {}
    if revision is not None:
        extra = {"revision": revision.number, "body": revision.body}
    return snapshot(comment, extra=extra)


@transaction.atomic
def submit_comment(
    *,
    actor,
    acting_for: Organisation,
    consultation: Consultation,
    kind: str,
    body: str,
    clause: Clause | None = None,
    span_start: int | None = None,
    span_end: int | None = None,
    quoted_text: str = "",
    suggested_wording: str = "",
) -> Comment:
    consultation = _share_locked(consultation.pk)
    _require_commenter(actor, acting_for, consultation)
    accepted_at = _acceptance_instant(consultation)
    _clean_anchor(consultation, clause, span_start, span_end, quoted_text)
    _clean_text(kind, body, suggested_wording)
    comment = Comment.objects.create(
        consultation=consultation,
        organisation=acting_for,
        author=actor,
        clause=clause,
        span_start=span_start,
        span_end=span_end,
        quoted_text=quoted_text,
        kind=kind,
        submitted_at=accepted_at,
    )
    revision = CommentRevision.objects.create(
        comment=comment,
        number=1,
        body=body,
        suggested_wording=suggested_wording,
        written_by=actor,
    )
    _stamp(consultation, revision)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="comment.submitted",
        subject=comment,
        after=_comment_state(comment, revision),
        purchaser=consultation.purchaser,
    )
    return comment


def _stamp(consultation: Consultation, revision: CommentRevision) -> None:
    """A revision's created_at is set by the database layer as it is inserted, a moment after
    the acceptance instant; it too must be before the close, or the whole write is undone.
    (Checked rather than overwritten: no extra UPDATE in the close-time surge.)"""
    _acceptance_instant(consultation, revision.created_at)


def _locked_comment(comment: Comment) -> tuple[Comment, Consultation]:
    consultation = _share_locked(comment.consultation_id)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    return comment, consultation


def _require_author_organisation(actor, acting_for: Organisation, comment: Comment) -> None:
    standing = policies.standing_of(actor)
    if (
        comment.organisation_id != acting_for.id
        or acting_for.id not in standing.provider_organisations
    ):
        raise Forbidden(
            _("Only %(organisation)s, which made this comment, can change or withdraw it.")
            % {"organisation": comment.organisation.name},
            code="not_comment_owner",
        )


def _require_submitted(comment: Comment) -> None:
    if comment.status == Comment.Status.WITHDRAWN:
        raise Conflict(
            _("The comment was withdrawn; it can no longer be changed or signed."),
            code="comment_withdrawn",
            details={"withdrawn_at": comment.withdrawn_at.isoformat()},
        )


@transaction.atomic
def edit_comment(
    *, actor, acting_for: Organisation, comment: Comment, body: str, suggested_wording=None
) -> Comment:
    """A new revision; the earlier ones stay (submitted texts are never overwritten)."""
    comment, consultation = _locked_comment(comment)
    _require_author_organisation(actor, acting_for, comment)
    _acceptance_instant(consultation)
    _require_submitted(comment)
    latest = comment.revisions.order_by("-number").first()
    if suggested_wording is None:
        suggested_wording = latest.suggested_wording
    _clean_text(comment.kind, body, suggested_wording)
    before = _comment_state(comment, latest)
    revision = CommentRevision.objects.create(
        comment=comment,
        number=latest.number + 1,
        body=body,
        suggested_wording=suggested_wording,
        written_by=actor,
    )
    _stamp(consultation, revision)
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="comment.edited",
        subject=comment,
        before=before,
        after=_comment_state(comment, revision),
        purchaser=consultation.purchaser,
    )
    return comment


@transaction.atomic
def withdraw_comment(*, actor, acting_for: Organisation, comment: Comment) -> Comment:
    comment, consultation = _locked_comment(comment)
    _require_author_organisation(actor, acting_for, comment)
    accepted_at = _acceptance_instant(consultation)
    _require_submitted(comment)
    before = _comment_state(comment)
    comment.status = Comment.Status.WITHDRAWN
    comment.withdrawn_at = accepted_at
    comment.save(update_fields=["status", "withdrawn_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="comment.withdrawn",
        subject=comment,
        before=before,
        after=_comment_state(comment),
        purchaser=consultation.purchaser,
    )
    return comment


def _require_network_member(actor, acting_for: Organisation, comment: Comment) -> None:
    standing = policies.standing_of(actor)
    is_member = NetworkMembership.objects.filter(
        network_id=comment.organisation_id, provider=acting_for
    ).exists()
    if acting_for.id not in standing.provider_organisations or not is_member:
        raise Forbidden(
            _(
                "Only member providers of %(network)s co-sign its comments; %(organisation)s "
                "is not one."
            )
            % {"network": comment.organisation.name, "organisation": acting_for.name},
            code="not_a_network_member",
        )


@transaction.atomic
def cosign_comment(*, actor, acting_for: Organisation, comment: Comment) -> CoSignature:
    """A member provider stands behind its network's joint comment (one voice, many names)."""
    comment, consultation = _locked_comment(comment)
    _require_network_member(actor, acting_for, comment)
    accepted_at = _acceptance_instant(consultation)
    _require_submitted(comment)
    if comment.cosignatures.filter(organisation=acting_for, withdrawn_at__isnull=True).exists():
        raise Conflict(
            _("%(organisation)s has already co-signed this comment.")
            % {"organisation": acting_for.name},
            code="already_cosigned",
        )
    signature = CoSignature.objects.create(
        comment=comment, organisation=acting_for, signed_by=actor, signed_at=accepted_at
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="comment.cosigned",
        subject=comment,
        after=snapshot(signature),
        purchaser=consultation.purchaser,
    )
    return signature


@transaction.atomic
def uncosign_comment(*, actor, acting_for: Organisation, comment: Comment) -> CoSignature:
    """Withdraw a signature; the row stays, with when it was withdrawn."""
    comment, consultation = _locked_comment(comment)
    _require_network_member(actor, acting_for, comment)
    accepted_at = _acceptance_instant(consultation)
    signature = comment.cosignatures.filter(
        organisation=acting_for, withdrawn_at__isnull=True
    ).first()
    if signature is None:
        raise Conflict(
            _("%(organisation)s has not co-signed this comment; there is nothing to withdraw.")
            % {"organisation": acting_for.name},
            code="not_cosigned",
        )
    before = snapshot(signature)
    signature.withdrawn_at = accepted_at
    signature.save(update_fields=["withdrawn_at"])
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="comment.uncosigned",
        subject=comment,
        before=before,
        after=snapshot(signature),
        purchaser=consultation.purchaser,
    )
    return signature


# --- selectors --------------------------------------------------------------------------


def consultation_list(*, person) -> QuerySet[Consultation]:
    return (
        policies.visible_consultations(person)
        .select_related("programme", "purchaser")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=ConsultationInvitation.objects.order_by("organisation_id"),
            )
        )
    )


def consultation_get(*, person, consultation_id) -> Consultation:
    return policies.get_visible(consultation_list(person=person), pk=consultation_id)


def _with_comment_details(
    comments: QuerySet[Comment], *, responses_readable: bool
) -> QuerySet[Comment]:
    # Whether a response exists is part of the response: hidden until it is published.
    answered = (
        Exists(Response.objects.filter(comment=OuterRef("pk")))
        if responses_readable
        else Value(None, output_field=BooleanField())
    )
    return (
        comments.select_related("organisation", "clause", "consultation__programme")
        .annotate(answered=answered)
        .prefetch_related(
            Prefetch("revisions", queryset=CommentRevision.objects.order_by("number")),
            Prefetch(
                "cosignatures",
                queryset=CoSignature.objects.filter(withdrawn_at__isnull=True)
                .select_related("organisation")
                .order_by("signed_at", "id"),
                to_attr="active_cosignatures",
            ),
        )
    )


def comment_list(*, person, consultation: Consultation) -> QuerySet[Comment]:
    return _with_comment_details(
        policies.visible_comments(person, consultation),
        responses_readable=policies.may_read_responses(person, consultation),
    )


def comment_get(*, person, comment_id) -> Comment:
    """A comment the person may read: its consultation visible, and the comment among the
    ones the consultation's visibility lets them read."""
    try:
        consultation_id = Comment.objects.values_list("consultation_id", flat=True).get(
            pk=comment_id
        )
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    consultation = consultation_get(person=person, consultation_id=consultation_id)
    return policies.get_visible(
        comment_list(person=person, consultation=consultation), pk=comment_id
    )


def revision_list(*, comment: Comment) -> QuerySet[CommentRevision]:
    return comment.revisions.order_by("number")
