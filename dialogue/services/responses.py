"""The purchaser's responses to consultation comments.

A response (accepted, partly accepted, not accepted, noted) gives a reason and, where the text
changed because of the comment, the clause of a later rulebook version that changed. Trust
grows when providers see what happened to what they said (the Swedish finding), so:

- the purchaser's staff may draft responses during the window; participants read them only
  once the window has closed (`policies.responses_published`);
- a withdrawn comment needs no response, but may get one (the purchaser may still want to
  say what it made of it);
- a rulebook version with an unanswered comment cannot be adopted: the gate is
  `dialogue.selectors.responses.require_every_comment_answered`.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event, snapshot
from contracts.models import Clause
from dialogue.models import Comment, Consultation, Response

Outcome = Response.Outcome

# A reason is read by people in a report; a page is plenty, and the limit keeps a pasted
# document from swelling every export.
REASON_MAX_LENGTH = 10_000


def _clean_outcome(outcome: str) -> str:
    if outcome not in Outcome.values:
        raise RuleViolation(
            _("%(outcome)s is not an outcome; choose one of: %(allowed)s.")
            % {"outcome": repr(outcome), "allowed": ", ".join(Outcome.values)},
            fields={"outcome": [_("Choose accepted, partly accepted, not accepted or noted.")]},
            code="invalid_outcome",
        )
    return outcome


def _clean_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise RuleViolation(
            _(
                "Give a reason: the provider is to read why its comment was accepted, partly "
                "accepted, not accepted or noted."
            ),
            fields={"reason": [_("Required; write at least a sentence.")]},
            code="reason_missing",
        )
    if len(cleaned) > REASON_MAX_LENGTH:
        raise RuleViolation(
            _("The reason is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": len(cleaned), "max": REASON_MAX_LENGTH},
            fields={"reason": [_("Too long.")]},
            code="reason_too_long",
        )
    return cleaned


def _clean_changed_clause(consultation: Consultation, changed_clause) -> Clause | None:
    """The clause of a later version of the consultation's rulebook, or None. Anything else
    (a clause of the version consulted on, of an earlier version, of another rulebook, an
    unknown id) is refused on the field, saying no more than an unknown id would."""
    if changed_clause is None or changed_clause == "":
        return None
    consulted = consultation.rulebook_version
    clause_id = changed_clause.pk if isinstance(changed_clause, Clause) else changed_clause
    clause = None
    if consulted is not None:
        try:
            clause = (
                Clause.objects.select_related("version")
                .filter(
                    version__rulebook_id=consulted.rulebook_id,
                    version__number__gt=consulted.number,
                )
                .get(pk=int(clause_id))
            )
        except (Clause.DoesNotExist, TypeError, ValueError):
            clause = None
    if clause is None:
        raise RuleViolation(
            _(
                "The changed clause must be a clause of a later version of the rulebook "
                "consulted on (the version that changed because of the comment), or empty "
                "when the text did not change."
            ),
            fields={"changed_clause": [_("Not a clause of a later version of this rulebook.")]},
            code="invalid_changed_clause",
        )
    return clause


def _locked_comment(comment: Comment) -> Comment:
    # The comment row is the lock: two officers answering the same comment at once run one
    # after the other, and the second updates what the first created.
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation__purchaser", "consultation__rulebook_version")
        .get(pk=comment.pk)
    )


@transaction.atomic
def respond_to_comment(
    *,
    actor,
    acting_for: Organisation,
    comment: Comment,
    outcome: str,
    reason: str,
    changed_clause: Clause | int | None = None,
) -> Response:
    """The first response to a comment; a comment has one response, changed later with
    update_response."""
    comment = _locked_comment(comment)
    consultation = comment.consultation
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    existing = Response.objects.filter(comment=comment).first()
    if existing is not None:
        raise Conflict(
            _("Comment %(id)s already has a response; change that one instead.")
            % {"id": comment.pk},
            code="already_answered",
            details={"response": existing.pk},
        )
    response = Response.objects.create(
        comment=comment,
        outcome=_clean_outcome(outcome),
        reason=_clean_reason(reason),
        changed_clause=_clean_changed_clause(consultation, changed_clause),
        written_by=actor,
    )
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="response.created",
        subject=response,
        after=snapshot(response),
        purchaser=consultation.purchaser,
    )
    return response


@transaction.atomic
def update_response(
    *,
    actor,
    acting_for: Organisation,
    response: Response,
    outcome: str,
    reason: str,
    changed_clause: Clause | int | None = None,
) -> Response:
    """Replace the outcome, reason and changed clause of a response (drafts change during
    the window; a published response may still be corrected, and the Event keeps what it
    said before)."""
    comment = _locked_comment(response.comment)
    consultation = comment.consultation
    policies.require_purchaser_staff(actor, acting_for, consultation.purchaser)
    response = Response.objects.select_for_update().get(pk=response.pk)
    before = snapshot(response)
    response.outcome = _clean_outcome(outcome)
    response.reason = _clean_reason(reason)
    response.changed_clause = _clean_changed_clause(consultation, changed_clause)
    response.written_by = actor
    response.save()
    record_event(
        actor=actor,
        acting_for=acting_for,
        verb="response.updated",
        subject=response,
        before=before,
        after=snapshot(response),
        purchaser=consultation.purchaser,
    )
    return response


@transaction.atomic
def save_response(
    *,
    actor,
    acting_for: Organisation,
    comment: Comment,
    outcome: str,
    reason: str,
    changed_clause: Clause | int | None = None,
) -> tuple[Response, bool]:
    """Create the response to a comment, or replace the one it has (the API's PUT). Returns
    the response and whether it was created."""
    comment = _locked_comment(comment)
    existing = Response.objects.filter(comment=comment).first()
    values = {"outcome": outcome, "reason": reason, "changed_clause": changed_clause}
    if existing is None:
        return (
            respond_to_comment(actor=actor, acting_for=acting_for, comment=comment, **values),
            True,
        )
    return (
        update_response(actor=actor, acting_for=acting_for, response=existing, **values),
        False,
    )
