"""Reads of networks' draft joint comments. A draft is not a comment of the consultation
(Comment.objects never returns one): it is read only by the people of the network that wrote
it and, once circulated, by the people of the network's member providers, in a consultation
they see. Anyone else is answered as if it did not exist."""

from django.db.models import Prefetch, Q, QuerySet

from commissioning import policies
from commissioning.models import NetworkMembership
from dialogue.models import Comment, CommentRevision, CoSignature


def drafts_readable(person) -> QuerySet[Comment]:
    """The drafts the person reads, with what their pages show."""
    own = set(policies.standing_of(person).roles)
    member_of = NetworkMembership.objects.filter(provider__in=own).values("network_id")
    return (
        Comment.with_drafts.filter(
            status=Comment.Status.DRAFT,
            consultation__in=policies.visible_consultations(person),
        )
        .filter(
            Q(organisation__in=own) | Q(circulated_at__isnull=False, organisation__in=member_of)
        )
        .select_related("organisation", "clause", "consultation__programme", "author")
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
        .order_by("-id")
    )


def draft_list(*, person, consultation) -> QuerySet[Comment]:
    return drafts_readable(person).filter(consultation=consultation)


def draft_get(*, person, draft_id) -> Comment:
    return policies.get_visible(drafts_readable(person), pk=draft_id)


def awaiting_cosignature(*, person, organisation) -> list[Comment]:
    """Circulated drafts of the networks `organisation` belongs to that it has not co-signed:
    what waits for it on its home page."""
    networks = NetworkMembership.objects.filter(provider=organisation).values("network_id")
    signed = CoSignature.objects.filter(
        organisation=organisation, withdrawn_at__isnull=True
    ).values("comment_id")
    return list(
        drafts_readable(person)
        .filter(circulated_at__isnull=False, organisation__in=networks)
        .exclude(id__in=signed)
        .order_by("consultation__closes_at", "id")[:10]
    )
