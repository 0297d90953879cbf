"""A politician's request for a briefing, and its closing when the briefing is ordered.

`request_briefing` records the request and its Event (`briefing.requested`), whose relay
handler tells the purchaser's officers (notifications.occasions.briefings). Ordering a
briefing of the programme in the requested language (workers.documents.orders, from the page
or the API) closes every open request it answers, each with its Event
(`briefing.request_closed`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation, Programme
from commissioning.services.events import record_event
from workers.documents.content import LANGUAGES
from workers.models import BriefingRequest, Document

NOTE_LENGTH = 2000


def _check(language: str, note: str) -> None:
    fields = {}
    if language not in LANGUAGES:
        fields["language"] = [_("Choose Swedish, Norwegian Bokmål or English.")]
    if len(note) > NOTE_LENGTH:
        fields["note"] = [
            _("Shorten the note to %(limit)s characters; it has %(length)s.")
            % {"limit": NOTE_LENGTH, "length": len(note)}
        ]
    if fields:
        raise RuleViolation(
            _("The request could not be sent: %(problems)s")
            % {"problems": " ".join(problem for found in fields.values() for problem in found)},
            fields=fields,
            code="invalid",
        )


def request_briefing(
    *, actor, acting_for: Organisation, programme: Programme, language: str, note: str = ""
) -> BriefingRequest:
    """Ask the purchaser's staff for a briefing on `programme` in `language`."""
    purchaser = programme.purchaser
    policies.require_overseeing_politician(actor, acting_for, purchaser)
    note = note.strip()
    _check(language, note)
    with transaction.atomic():
        row = BriefingRequest.objects.create(
            programme=programme,
            purchaser=purchaser,
            requested_by=actor,
            acting_for=acting_for,
            language=language,
            note=note,
        )
        record_event(
            actor=actor,
            acting_for=acting_for,
            verb="briefing.requested",
            subject=row,
            after={"programme_id": programme.pk, "language": language, "note": note},
            purchaser=purchaser,
        )
    return row


def close_requests(*, actor, acting_for: Organisation, document: Document, programme) -> int:
    """Close the open requests that `document` (a briefing just ordered) answers: those of its
    programme in its language. Runs inside the order's transaction."""
    rows = list(
        BriefingRequest.objects.select_for_update().filter(
            programme=programme, language=document.language, status=BriefingRequest.Status.OPEN
        )
    )
    now = timezone.now()
    for row in rows:
        row.status = BriefingRequest.Status.ORDERED
        row.document = document
        row.closed_at = now
        row.save(update_fields=["status", "document", "closed_at"])
        record_event(
            actor=actor,
            acting_for=acting_for,
            verb="briefing.request_closed",
            subject=row,
            before={"status": BriefingRequest.Status.OPEN},
            after={"status": BriefingRequest.Status.ORDERED, "document_id": document.pk},
            purchaser=row.purchaser,
        )
    return len(rows)
