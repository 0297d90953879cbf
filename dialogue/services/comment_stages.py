"""A network's joint comment from draft to submission, and a withdrawn comment restored.

draft → circulated to the members (each member's representatives are asked to co-sign:
notifications.occasions.consultations) → co-signed by members (dialogue.services.comments)
→ submitted by the network. Drafting, editing, circulating and co-signing a draft happen
outside the window: only the submission is a comment write, accepted under the
consultation's lock before the close like every other (dialogue.services.comments).

A withdrawn comment is restored by its organisation while the window is open: it is
submitted again as it was, with its revisions, signatures and reference."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.errors import Conflict, Forbidden, NotFound
from commissioning.models import Organisation
from contracts.models import Clause
from dialogue.models import Comment, Consultation
from dialogue.services.comments import (
    _acceptance_instant,
    _comment_state,
    _locked_comment,
    _record_change,
    _require_author_organisation,
    _require_commenter,
    _written,
    share_locked,
)

Status = Comment.Status


def _require_network(acting_for: Organisation) -> None:
    if acting_for.kind != Organisation.Kind.PROVIDER_NETWORK:
        raise Forbidden(
            _(
                "Only a provider network drafts a joint comment for its members to co-sign; "
                "%(organisation)s sends its comment directly."
            )
            % {"organisation": acting_for.name},
            code="not_a_network",
        )


@transaction.atomic
def draft_comment(
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
    """A network's joint comment, not yet part of the consultation."""
    consultation = share_locked(consultation.pk, read=consultation)
    _require_commenter(actor, acting_for, consultation)
    _require_network(acting_for)
    comment, revision = _written(
        actor,
        acting_for,
        consultation,
        kind=kind,
        body=body,
        anchor=(clause, span_start, span_end, quoted_text),
        suggested_wording=suggested_wording,
        status=Status.DRAFT,
    )
    _record_change(actor, acting_for, "comment.drafted", comment, consultation, None, revision)
    return comment


def _require_draft(comment: Comment) -> None:
    if comment.status != Status.DRAFT:
        raise Conflict(
            _("The joint comment has already been submitted; it is no longer a draft."),
            code="not_a_draft",
        )


@transaction.atomic
def circulate_draft(*, actor, acting_for: Organisation, comment: Comment) -> Comment:
    """The members may now read the draft and co-sign it; their representatives are asked."""
    comment, consultation = _locked_comment(comment)
    _require_author_organisation(actor, acting_for, comment)
    _require_draft(comment)
    if comment.circulated_at is not None:
        raise Conflict(
            _("The draft was already circulated to the members; they have been asked."),
            code="already_circulated",
        )
    before = _comment_state(comment)
    comment.circulated_at = timezone.now()
    comment.save(update_fields=["circulated_at"])
    _record_change(actor, acting_for, "comment.circulated", comment, consultation, before)
    return comment


@transaction.atomic
def submit_draft(*, actor, acting_for: Organisation, comment: Comment) -> Comment:
    """The draft becomes a comment of the consultation, within the window, with its
    co-signatures."""
    comment, consultation = _locked_comment(comment)
    _require_author_organisation(actor, acting_for, comment)
    _require_draft(comment)
    accepted_at = _acceptance_instant(consultation)
    before = _comment_state(comment)
    comment.status = Status.SUBMITTED
    comment.submitted_at = accepted_at
    comment.save(update_fields=["status", "submitted_at"])
    revision = comment.revisions.order_by("-number").first()
    _record_change(actor, acting_for, "comment.submitted", comment, consultation, before, revision)
    return comment


@transaction.atomic
def restore_comment(*, actor, acting_for: Organisation, comment: Comment) -> Comment:
    """A withdrawn comment submitted again, while the window is open."""
    comment, consultation = _locked_comment(comment)
    if comment.status == Status.DRAFT:
        raise NotFound()
    _require_author_organisation(actor, acting_for, comment)
    _acceptance_instant(consultation)
    if comment.status != Status.WITHDRAWN:
        raise Conflict(
            _("The comment is not withdrawn; there is nothing to restore."),
            code="not_withdrawn",
        )
    before = _comment_state(comment)
    comment.status = Status.SUBMITTED
    comment.withdrawn_at = None
    comment.save(update_fields=["status", "withdrawn_at"])
    _record_change(actor, acting_for, "comment.restored", comment, consultation, before)
    return comment
