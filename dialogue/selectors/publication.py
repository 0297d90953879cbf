"""What is published without sign-in: the consultations a purchaser marked public, once their
window has closed, with what was asked, what was said and what was done.

The rule (the public pages, the Atom feed and the OCDS publication all read it here):

- a consultation is published when its purchaser left it public (`Consultation.public`, on
  by default: comments to a public body are public records in Sweden and Norway once the case
  is closed), it was opened, and its window has closed (closed, or its close time passed);
- only consultations on a rulebook version: a consultation on one provider's contract
  version is a negotiation between two parties, and stays with them;
- of a published consultation, every submitted comment is published with its organisation
  (never a withdrawn one, which its organisation took back), its co-signing organisations,
  the responses and what the next version did; never a person's name or email address.

Anything else answers as if it did not exist (404), the same for an unpublished
consultation as for a missing one.
"""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from commissioning import policies
from commissioning.errors import NotFound
from commissioning.models import Organisation
from dialogue.models import Comment, Consultation
from dialogue.selectors.consultation_summary import clause_by_clause, rows_of

Status = Consultation.Status


def published_consultations() -> QuerySet[Consultation]:
    now = timezone.now()
    return (
        Consultation.objects.filter(public=True, rulebook_version__isnull=False)
        .filter(Q(status=Status.CLOSED) | Q(status=Status.OPEN, closes_at__lte=now))
        .select_related("purchaser", "programme", "rulebook_version__rulebook")
    )


def published_list(*, purchaser: Organisation | None = None) -> QuerySet[Consultation]:
    """Published consultations with the number of their published comments."""
    consultations = published_consultations()
    if purchaser is not None:
        consultations = consultations.filter(purchaser=purchaser)
    return consultations.annotate(
        published_comments=Count("comments", filter=Q(comments__status=Comment.Status.SUBMITTED))
    )


def published_get(*, consultation_id) -> Consultation:
    return policies.get_visible(published_consultations(), pk=consultation_id)


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    return Comment.objects.filter(consultation=consultation, status=Comment.Status.SUBMITTED)


def published_record(consultation: Consultation) -> dict:
    """you_said_we_did's structure of a published consultation, as anyone reads it."""
    return clause_by_clause(
        consultation, rows_of(published_comments(consultation)), responses_readable=True
    )


def publishing_purchaser(*, purchaser_id) -> Organisation:
    """A purchaser (a public body, named in public anyway), or 404."""
    found = Organisation.objects.filter(pk=purchaser_id, kind=Organisation.Kind.PURCHASER).first()
    if found is None:
        raise NotFound()
    return found
