"""Reads of consultations and their comments: the consultations a person sees, their
comments with revisions, co-signatures and whether each is answered, and a moment in the
programme's time zone.

Writes are in dialogue/services/consultations.py (the window itself) and
dialogue/services/comments.py (the comments in it).
"""

import datetime
import zoneinfo

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet, Value

from commissioning import policies
from commissioning.errors import NotFound
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
)


def local_time(consultation: Consultation, moment: datetime.datetime) -> datetime.datetime:
    """A moment in the programme's time zone: what an officer or provider reads."""
    try:
        zone = zoneinfo.ZoneInfo(consultation.programme.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return moment.astimezone(zone)


def format_local(consultation: Consultation, moment: datetime.datetime) -> str:
    return local_time(consultation, moment).strftime("%Y-%m-%d %H:%M %Z")


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
    # Whether a response exists is part of the response: hidden until it is published. A
    # join on the (at most one) response, not EXISTS: PostgreSQL ran that EXISTS as a hash
    # of every response in the database (planned for all the consultation's comments, not
    # the page's), 2 ms at scale 0.1 and growing with the whole table.
    answered = (
        ExpressionWrapper(Q(response__isnull=False), output_field=BooleanField())
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


def comment_as_submitted(*, person, consultation: Consultation, comment: Comment) -> Comment:
    """A comment submit_comment has just written, as comment_get reads it, from the rows the
    write made rather than four more queries: its one revision (which submit_comment leaves
    known), no co-signature yet, no response yet (`answered` false where responses are
    readable, else null). Its author reads it under visible_comments: they wrote it for an
    organisation they take part through, in a consultation consultation_get found visible
    to them."""
    comment.active_cosignatures = []
    comment.answered = False if policies.may_read_responses(person, consultation) else None
    return comment


def revision_list(*, comment: Comment) -> QuerySet[CommentRevision]:
    return comment.revisions.order_by("number")
