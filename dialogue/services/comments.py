"""Comments on a consultation: submit, edit (a new revision), withdraw, and a member
provider's co-signature of its network's comment.

The server-side window: every comment write (submit, edit, withdraw, co-sign, withdraw a
signature) locks the consultation row FOR SHARE and takes its acceptance instant *after* the
lock, inside the transaction; closing and changing the close time lock it FOR UPDATE
(dialogue/services/consultations.py). A close or an extension therefore never interleaves
with a comment write, and a write is accepted only when every instant it records
(submitted_at, a revision's created_at, withdrawn_at, signed_at) is before closes_at. Many
writers share the lock, so the close-time surge is not serialised.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, Forbidden, NotFound, RuleViolation
from commissioning.models import NetworkMembership, Organisation
from commissioning.services.events import record_event, snapshot
from contracts.models import Clause
from dialogue.models import Comment, CommentRevision, Consultation, CoSignature
from dialogue.selectors.consultations import format_local, local_time

Status = Consultation.Status

# Long enough for a reasoned objection with suggested wording, short enough that one comment
# cannot swamp the summary or the PDF report.
BODY_MAX_CHARS = 20_000
SUGGESTED_WORDING_MAX_CHARS = 10_000


def share_locked(consultation_id: int, read: Consultation | None = None) -> Consultation:
    """FOR SHARE: comment writes run side by side, but never beside a close or an extension.

    `read`, the consultation as the request found it before the lock, is kept when the lock
    finds its status and window as they were: once it is open, nothing else of it changes
    (its invitations and version change only while scheduled, under the exclusive lock of
    services.consultations). Otherwise it is read again under the lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status, opens_at, closes_at FROM dialogue_consultation "
                "WHERE id = %s FOR SHARE",
                [consultation_id],
            )
            window = cursor.fetchone()
        if read is not None and window == (read.status, read.opens_at, read.closes_at):
            return read
    # (SQLite, the embedded default, serialises every write transaction anyway.)
    return Consultation.objects.select_related("programme", "purchaser").get(pk=consultation_id)


def _acceptance_instant(consultation: Consultation, now=None) -> datetime.datetime:
    """The instant a comment write is accepted, taken under the lock; refused once closed."""
    now = now or timezone.now()
    if consultation.status == Status.SCHEDULED:
        raise Conflict(
            _("The consultation is not open yet; it opens at %(opens)s. Send your comment then.")
            % {"opens": format_local(consultation, consultation.opens_at)},
            code="consultation_not_open",
            details={"opens_at": consultation.opens_at.isoformat()},
        )
    if consultation.status == Status.CLOSED or now >= consultation.closes_at:
        raise Conflict(
            _(
                "The consultation closed at %(closes)s; comments and signatures can no longer "
                "be added or changed. Nothing was changed."
            )
            % {"closes": format_local(consultation, consultation.closes_at)},
            code="consultation_closed",
            details={
                "closes_at": consultation.closes_at.isoformat(),
                "closes_at_local": local_time(consultation, consultation.closes_at).isoformat(),
                "time_zone": consultation.programme.time_zone,
            },
        )
    return now


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
    # .all(): the invitations the request's read of the consultation prefetched, if it did.
    invited = {invitation.organisation_id for invitation in consultation.invitations.all()}
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
                fields={"clause": [_("Choose the clause the quoted words are from.")]},
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
                _("Give where the quoted words start and end with the quoted text."),
                fields={"span_start": [_("Select the quoted words in the clause again.")]},
                code="span_incomplete",
            )
        return
    if span_start is None or span_end is None:
        missing = "span_start" if span_start is None else "span_end"
        raise RuleViolation(
            _("Give both where the quoted words start and where they end, or neither."),
            fields={missing: [_("Select the quoted words in the clause again.")]},
            code="span_incomplete",
        )
    length = len(clause.text)
    if span_start < 0 or span_start >= length:
        raise RuleViolation(
            _(
                "The quoted words start at %(start)s, outside clause %(key)s, whose text has "
                "%(length)s characters."
            )
            % {"start": span_start, "key": clause.key, "length": length},
            fields={
                "span_start": [_("The quoted words are not in this clause; select them again.")]
            },
            code="span_outside_clause",
        )
    if span_end <= span_start or span_end > length:
        raise RuleViolation(
            _(
                "The quoted words end at %(end)s; they must end after they start and at most "
                "at %(length)s, the length of clause %(key)s."
            )
            % {"end": span_end, "key": clause.key, "length": length},
            fields={"span_end": [_("The quoted words are not in this clause; select them again.")]},
            code="span_outside_clause",
        )
    if quoted_text != clause.text[span_start:span_end]:
        raise RuleViolation(
            _(
                "The quoted text does not match characters %(start)s to %(end)s of clause "
                "%(key)s; quote them exactly."
            )
            % {"start": span_start, "end": span_end, "key": clause.key},
            fields={
                "quoted_text": [
                    _(
                        "The quote differs from the clause; select the words again to quote "
                        "them exactly."
                    )
                ]
            },
            code="quote_mismatch",
        )


def _clean_text(kind: str, body: str, suggested_wording: str) -> None:
    if not body or not body.strip():
        raise RuleViolation(
            _("Write the comment: the body is empty."),
            fields={"body": [_("Write the comment: it is empty.")]},
            code="empty_comment",
        )
    if len(body) > BODY_MAX_CHARS:
        raise RuleViolation(
            _("The comment has %(length)s characters; the limit is %(max)s. Shorten it.")
            % {"length": len(body), "max": BODY_MAX_CHARS},
            fields={
                "body": [
                    _("%(length)s characters; the limit is %(max)s. Shorten it.")
                    % {"length": len(body), "max": BODY_MAX_CHARS}
                ]
            },
            code="comment_too_long",
        )
    if len(suggested_wording) > SUGGESTED_WORDING_MAX_CHARS:
        raise RuleViolation(
            _("The suggested wording has %(length)s characters; the limit is %(max)s.")
            % {"length": len(suggested_wording), "max": SUGGESTED_WORDING_MAX_CHARS},
            fields={
                "suggested_wording": [
                    _("%(length)s characters; the limit is %(max)s. Shorten it.")
                    % {"length": len(suggested_wording), "max": SUGGESTED_WORDING_MAX_CHARS}
                ]
            },
            code="suggested_wording_too_long",
        )
    if kind == Comment.Kind.PROPOSAL and not suggested_wording.strip():
        raise RuleViolation(
            _("A proposal says how the text should read: give the suggested wording."),
            fields={
                "suggested_wording": [_("A proposal says how the text should read: write it here.")]
            },
            code="proposal_without_wording",
        )


def _record_change(actor, acting_for, verb, comment, consultation, before, revision=None) -> None:
    """The Event of a change to a comment: its state before and after (with the revision
    written, if any), under the consultation's purchaser."""
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb=verb,
        subject=comment,
        before=before,
        after=_comment_state(comment, revision),
        purchaser=consultation.purchaser,
    )


def _comment_state(comment: Comment, revision: CommentRevision | None = None) -> dict:
    extra = {}
    if revision is not None:
        extra = {"revision": revision.number, "body": revision.body}
    return snapshot(comment, extra=extra)


def _written(
    actor, acting_for, consultation, *, kind, body, anchor, suggested_wording, **state
) -> tuple[Comment, CommentRevision]:
    """A new comment (or a network's joint draft: `state` says which) with its first
    revision, once its anchor and text pass the checks."""
    clause, span_start, span_end, quoted_text = anchor
    _clean_anchor(consultation, clause, span_start, span_end, quoted_text)
    _clean_text(kind, body, suggested_wording)
    comment = Comment.with_drafts.create(
        consultation=consultation,
        organisation=acting_for,
        author=actor,
        clause=clause,
        span_start=span_start,
        span_end=span_end,
        quoted_text=quoted_text,
        kind=kind,
        **state,
    )
    revision = CommentRevision.objects.create(
        comment=comment,
        number=1,
        body=body,
        suggested_wording=suggested_wording,
        written_by=actor,
    )
    comment.known_revisions([revision])
    return comment, revision


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
    consultation = share_locked(consultation.pk, read=consultation)
    _require_commenter(actor, acting_for, consultation)
    accepted_at = _acceptance_instant(consultation)
    comment, revision = _written(
        actor,
        acting_for,
        consultation,
        kind=kind,
        body=body,
        anchor=(clause, span_start, span_end, quoted_text),
        suggested_wording=suggested_wording,
        submitted_at=accepted_at,
    )
    _stamp(consultation, revision)
    _record_change(actor, acting_for, "comment.submitted", comment, consultation, None, revision)
    return comment


def _stamp(consultation: Consultation, revision: CommentRevision) -> None:
    """A revision's created_at is set by the database layer as it is inserted, a moment after
    the acceptance instant; it too must be before the close, or the whole write is undone.
    (Checked rather than overwritten: no extra UPDATE in the close-time surge.)"""
    _acceptance_instant(consultation, revision.created_at)


def _locked_comment(comment: Comment) -> tuple[Comment, Consultation]:
    consultation = share_locked(comment.consultation_id)
    comment = Comment.with_drafts.select_for_update().get(pk=comment.pk)
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


def _require_circulated_if_draft(comment: Comment) -> None:
    """A draft the network has not circulated does not exist for its members."""
    if comment.status == Comment.Status.DRAFT and comment.circulated_at is None:
        raise NotFound()


def _require_submitted(comment: Comment, *, draft_too: bool = False) -> None:
    """Only a submitted comment is withdrawn or co-signed; a circulated draft is co-signed
    too where `draft_too`. A draft is not a comment of the consultation: for anything else
    it does not exist."""
    if comment.status == Comment.Status.DRAFT and not draft_too:
        raise NotFound()
    _require_circulated_if_draft(comment)
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
    draft = comment.status == Comment.Status.DRAFT
    if not draft:  # a draft is written outside the window: the window is its submission's
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
    if not draft:
        _stamp(consultation, revision)
    _record_change(actor, acting_for, "comment.edited", comment, consultation, before, revision)
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
    _record_change(actor, acting_for, "comment.withdrawn", comment, consultation, before)
    return comment


def _require_network_member(actor, acting_for: Organisation, comment: Comment) -> None:
    if comment.organisation.kind != Organisation.Kind.PROVIDER_NETWORK:
        # Said first: "only members of X co-sign" would call a single provider a network.
        raise Forbidden(
            _(
                "Only a provider network's joint comments are co-signed; this comment is from "
                "%(organisation)s, which is not a network."
            )
            % {"organisation": comment.organisation.name},
            code="not_a_network_comment",
        )
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


def _signing_instant(comment: Comment, consultation: Consultation) -> datetime.datetime:
    """A circulated draft is signed outside the window (the window is its submission's); a
    submitted comment only within it."""
    if comment.status == Comment.Status.DRAFT:
        return timezone.now()
    return _acceptance_instant(consultation)


@transaction.atomic
def cosign_comment(*, actor, acting_for: Organisation, comment: Comment) -> CoSignature:
    """A member provider stands behind its network's joint comment (one voice, many names)."""
    comment, consultation = _locked_comment(comment)
    _require_network_member(actor, acting_for, comment)
    _require_submitted(comment, draft_too=True)
    accepted_at = _signing_instant(comment, consultation)
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
    _require_circulated_if_draft(comment)
    accepted_at = _signing_instant(comment, consultation)
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
