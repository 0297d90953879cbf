"""The consultations' notifications.

- consultation opened → the provider representatives of every invited organisation and of
  the members of every invited network (a network's invitation reaches its members, who may
  comment themselves: dialogue.services.comments), with the close in the programme's time
  zone and a link to the clause-by-clause page;
- responses published, at the close → everyone who commented or co-signed (the authors and
  signers by name and the representatives of their organisations; withdrawn comments and
  signatures do not count, they are not answered), each with the outcomes of their own
  organisation's comments and of the comments it co-signed, and a link to the page where
  each comment shows its response ("you said, we did");
- co-signature requested → when a network circulates its draft joint comment (or submits a
  joint comment it did not circulate), the representatives of its member providers, with a
  link to the draft (or the comment); they are asked once;
- comment receipt → when a comment is submitted, the person who submitted it: the
  reference number and a copy of the text, with a link to the printable receipt.

What an email shows of comments is read through commissioning.policies as its recipient: a
provider never sees another organisation's comment in its email unless the policy lets it
read that comment (its own, its networks', the ones it co-signed)."""

import zoneinfo

from django.db.models import Prefetch, Q
from django.urls import reverse

from commissioning import policies
from commissioning.models import Event, Membership, NetworkMembership, Organisation
from dialogue.models import Comment, CommentRevision, Consultation, CoSignature
from notifications.recipients import people
from notifications.services.notify import notify
from notifications.writers import writes
from workers.relay import handles

CONSULTATION_RELATED = ("purchaser", "programme")
COMMENT_RELATED = ("organisation", "clause", "consultation__purchaser", "consultation__programme")
SUBMITTED = Comment.Status.SUBMITTED
# How much of a comment an email quotes: enough to recognise it, the rest is on the page.
EXCERPT_CHARS = 200


def representatives(organisation_ids) -> list[tuple[int, int]]:
    """(person id, organisation id) of the provider representatives of these organisations
    (invitations, comments and co-signatures are only ever of providers and networks)."""
    return list(
        Membership.objects.filter(
            organisation__in=organisation_ids,
            role=Membership.Role.PROVIDER_REPRESENTATIVE,
            organisation__kind__in=[Organisation.Kind.PROVIDER, Organisation.Kind.PROVIDER_NETWORK],
        )
        .order_by("organisation_id", "person_id")
        .values_list("person_id", "organisation_id")
    )


def members_of(network_ids) -> list[int]:
    return list(
        NetworkMembership.objects.filter(network__in=network_ids)
        .order_by("provider_id")
        .values_list("provider_id", flat=True)
    )


def zone_of(consultation: Consultation) -> str:
    """The programme's time zone, as the templates' {% timezone %} takes it."""
    name = consultation.programme.time_zone
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def purchaser_name(subject) -> str:
    return subject.purchaser.name


def consultation_path(consultation: Consultation) -> str:
    return reverse("consultation-page", kwargs={"consultation_id": consultation.pk})


def comment_path(comment: Comment) -> str:
    return reverse(
        "consultation-comment-page",
        kwargs={"consultation_id": comment.consultation_id, "comment_id": comment.pk},
    )


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


# --- consultation opened ----------------------------------------------------------------


@writes(
    "consultation_opened",
    model=Consultation,
    template="notifications/email/consultation_opened",
    sender=purchaser_name,
    select_related=CONSULTATION_RELATED,
)
def opened_context(consultation: Consultation, notice) -> dict:
    return {"consultation": consultation, "time_zone": zone_of(consultation)}


def invited_people(consultation: Consultation) -> list[tuple[int, int]]:
    """The invited organisations' representatives first, then those of the members of
    invited networks (a person of both is told once, for the invited organisation)."""
    invited = list(consultation.invitations.values_list("organisation_id", flat=True))
    return representatives(invited) + representatives(members_of(invited))


@handles("consultation.opened")
def tell_consultation_opened(event: Event) -> None:
    consultation = (
        Consultation.objects.select_related(*CONSULTATION_RELATED)
        .filter(pk=event.subject_id)
        .first()
    )
    if consultation is None or consultation.status != Consultation.Status.OPEN:
        return
    notify(
        kind="consultation_opened",
        subject=consultation,
        recipients=people(invited_people(consultation)),
        occasion=f"consultation-opened:{consultation.pk}",
        url=consultation_path(consultation),
    )


# --- responses published ----------------------------------------------------------------


def own_comments(consultation: Consultation, person) -> list[Comment]:
    """The submitted comments of the person's own organisations and those they co-signed,
    among the comments the policy lets the person read, with their responses."""
    own = policies.standing_of(person).provider_organisations
    signed = CoSignature.objects.filter(organisation__in=own, withdrawn_at__isnull=True)
    return list(
        policies.visible_comments(person, consultation)
        .filter(status=SUBMITTED)
        .filter(Q(organisation__in=own) | Q(pk__in=signed.values("comment_id")))
        .select_related("organisation", "clause", "response")
        .prefetch_related(
            Prefetch("revisions", queryset=CommentRevision.objects.order_by("number"))
        )
        .order_by("submitted_at", "pk")
    )


def outcome_rows(consultation: Consultation, person) -> list[dict]:
    """What the email says of each of the person's comments: whose, on which clause, the
    start of its text, the response and the start of its reason, once readable. The words
    (the comment's kind, the outcome) are the templates' get_*_display: written in the
    reader's language as the email is rendered, never as codes."""
    readable = policies.may_read_responses(person, consultation)
    rows = []
    for comment in own_comments(consultation, person):
        response = getattr(comment, "response", None) if readable else None
        revisions = list(comment.revisions.all())
        rows.append(
            {
                "comment": comment,
                "organisation": comment.organisation.name,
                "clause": comment.clause,
                "excerpt": excerpt(revisions[-1].body) if revisions else "",
                "response": response,
                "reason": excerpt(response.reason) if response else "",
                "url": comment_path(comment),
            }
        )
    return rows


@writes(
    "responses_published",
    model=Consultation,
    template="notifications/email/responses_published",
    sender=purchaser_name,
    select_related=CONSULTATION_RELATED,
)
def published_context(consultation: Consultation, notice) -> dict:
    return {"consultation": consultation, "rows": outcome_rows(consultation, notice.person)}


def commenters(consultation: Consultation) -> list[tuple[int, int]]:
    """(person id, organisation id) of those who commented or co-signed: the authors and
    signers by name, then the representatives of their organisations. The purchaser's
    responders are not told: they wrote the responses."""
    comments = Comment.objects.filter(consultation=consultation, status=SUBMITTED)
    signatures = CoSignature.objects.filter(comment__in=comments, withdrawn_at__isnull=True)
    named = [
        (p, o) for p, o in comments.values_list("author_id", "organisation_id") if p is not None
    ]
    named += [
        (p, o)
        for p, o in signatures.values_list("signed_by_id", "organisation_id")
        if p is not None
    ]
    organisations = set(comments.values_list("organisation_id", flat=True))
    organisations |= set(signatures.values_list("organisation_id", flat=True))
    return named + representatives(organisations)


@handles("consultation.closed")
def tell_responses_published(event: Event) -> None:
    consultation = (
        Consultation.objects.select_related(*CONSULTATION_RELATED)
        .filter(pk=event.subject_id)
        .first()
    )
    if consultation is None or not policies.responses_published(consultation):
        return
    # Someone who has left the organisation they commented for no longer sees the
    # consultation: they are not told what happened in it.
    recipients = [
        (person, organisation)
        for person, organisation in people(commenters(consultation))
        if policies.visible_consultations(person).filter(pk=consultation.pk).exists()
    ]
    notify(
        kind="responses_published",
        subject=consultation,
        recipients=recipients,
        occasion=f"responses-published:{consultation.pk}",
        url=consultation_path(consultation),
    )


# --- co-signature requested -------------------------------------------------------------


@writes(
    "cosignature_requested",
    model=Comment,
    template="notifications/email/cosignature_requested",
    sender=lambda comment: comment.consultation.purchaser.name,
    select_related=COMMENT_RELATED,
)
def cosignature_context(comment: Comment, notice) -> dict:
    revision = comment.revisions.order_by("-number").first()
    consultation = comment.consultation
    return {
        "comment": comment,
        "draft": comment.status == Comment.Status.DRAFT,
        "consultation": consultation,
        "network": comment.organisation.name,
        "excerpt": excerpt(revision.body) if revision else "",
        "time_zone": zone_of(consultation),
    }


def draft_path(comment: Comment) -> str:
    return reverse(
        "consultation-draft-page",
        kwargs={"consultation_id": comment.consultation_id, "draft_id": comment.pk},
    )


@handles("comment.submitted", "comment.circulated")
def ask_members_to_cosign(event: Event) -> None:
    """A network's comment, circulated as a draft or submitted without one: its members'
    representatives are asked to co-sign it, once (the author is not asked, whatever else
    they represent)."""
    comment = (
        Comment.with_drafts.select_related(*COMMENT_RELATED).filter(pk=event.subject_id).first()
    )
    draft = comment is not None and comment.status == Comment.Status.DRAFT
    if (
        comment is None
        or not (comment.status == SUBMITTED or (draft and comment.circulated_at is not None))
        or comment.organisation.kind != Organisation.Kind.PROVIDER_NETWORK
    ):
        return
    pairs = [
        (p, o)
        for p, o in representatives(members_of([comment.organisation_id]))
        if p not in {event.actor_id, comment.author_id}
    ]
    notify(
        kind="cosignature_requested",
        subject=comment,
        recipients=people(pairs),
        occasion=f"cosignature-requested:{comment.pk}",
        url=draft_path(comment) if draft else comment_path(comment),
    )


# --- comment receipt --------------------------------------------------------------------


def receipt_path(comment: Comment) -> str:
    return reverse(
        "consultation-comment-receipt",
        kwargs={"consultation_id": comment.consultation_id, "comment_id": comment.pk},
    )


@writes(
    "comment_receipt",
    model=Comment,
    template="notifications/email/comment_receipt",
    sender=lambda comment: comment.consultation.purchaser.name,
    select_related=COMMENT_RELATED,
)
def receipt_context(comment: Comment, notice) -> dict:
    return {
        "comment": comment,
        "consultation": comment.consultation,
        "revision": comment.revisions.order_by("-number").first(),
        "time_zone": zone_of(comment.consultation),
    }


@handles("comment.submitted")
def send_receipt(event: Event) -> None:
    """The person who submitted the comment gets its reference and a copy of its text."""
    comment = Comment.objects.select_related(*COMMENT_RELATED).filter(pk=event.subject_id).first()
    if comment is None or comment.status != SUBMITTED or event.actor_id is None:
        return
    notify(
        kind="comment_receipt",
        subject=comment,
        recipients=people([(event.actor_id, comment.organisation_id)]),
        occasion=f"comment-receipt:{comment.pk}",
        url=receipt_path(comment),
    )
