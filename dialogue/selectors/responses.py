"""Reads of the purchaser's responses to consultation comments, and the adoption gate.

- participants read a response only once the window has closed
  (`policies.responses_published`); the purchaser's staff read drafts during it;
- a rulebook version whose consultations still hold a submitted comment without a response
  cannot be adopted (`require_every_comment_answered`, called by
  `contracts.services.rulebooks.adopt_rulebook_version`): a read that refuses.

Writes are in dialogue/services/responses.py.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import Conflict, NotFound
from contracts.models import RulebookVersion
from dialogue.models import Comment, Response

# --- who reads a response -----------------------------------------------------------------


def comment_for_response(*, person, comment_id) -> Comment:
    """A comment the person may see, with what a response needs; invisible and missing look
    alike (404)."""
    base = Comment.objects.filter(consultation__in=policies.visible_consultations(person))
    found = policies.get_visible(
        base.select_related("consultation__rulebook_version", "consultation__purchaser"),
        pk=comment_id,
    )
    visible = policies.visible_comments(person, found.consultation)
    if not visible.filter(pk=found.pk).exists():
        raise NotFound()
    return found


def response_get(*, person, comment: Comment) -> Response:
    """The response to a comment the person sees, if it is there and theirs to read yet."""
    response = (
        Response.objects.filter(comment=comment).select_related("changed_clause__version").first()
    )
    if response is None or not policies.may_read_responses(person, comment.consultation):
        # An unpublished draft answers like no response at all: a participant learns
        # nothing before the close (the drafts may still change).
        raise NotFound(
            _(
                "This comment has no published response yet. Responses are published when "
                "the consultation closes."
            ),
            code="no_response",
        )
    return response


# --- the adoption gate --------------------------------------------------------------------


def unanswered(through: str = "") -> Q:
    """What "unanswered" means: submitted (not withdrawn) and without a response. `through`
    names the relation to comments ("comments__") when counting them from consultations."""
    return Q(**{f"{through}status": Comment.Status.SUBMITTED, f"{through}response__isnull": True})


def unanswered_comments(*, rulebook_version: RulebookVersion):
    """The unanswered comments across every consultation on the version."""
    return Comment.objects.filter(unanswered(), consultation__rulebook_version=rulebook_version)


def require_every_comment_answered(*, rulebook_version: RulebookVersion) -> None:
    """Refuse adoption while a comment on the version is unanswered: DESIGN.md, "a rulebook
    version is adopted only when every comment has a response". One query."""
    groups = list(
        unanswered_comments(rulebook_version=rulebook_version)
        .values("clause_id", "clause__key", "clause__position")
        .annotate(count=Count("id"))
        .order_by("clause__position", "clause__key")
    )
    if not groups:
        return
    count = sum(g["count"] for g in groups)
    general = sum(g["count"] for g in groups if g["clause_id"] is None)
    clauses = [g["clause__key"] for g in groups if g["clause_id"] is not None]
    where = ", ".join(clauses)
    if general:
        general_text = _("%(count)s general") % {"count": general}
        where = f"{where}, {general_text}" if where else str(general_text)
    raise Conflict(
        _(
            "Version %(number)s cannot be adopted while %(count)s comment(s) from its "
            "consultation have no response (clauses: %(where)s). Answer every comment first: "
            "providers are to see what happened to what they said."
        )
        % {"number": rulebook_version.number, "count": count, "where": where},
        code="unanswered_comments",
        details={"count": count, "clauses": clauses, "general": general},
    )
