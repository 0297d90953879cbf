"""Ordering a PDF document, and the one rule that a document is never rendered twice for the
same inputs.

A document's `inputs_hash` is the SHA-256 of a canonical JSON of everything it is made from:
the data the template renders (workers.documents.content), its kind, its language and
TEMPLATE_VERSION. Ordering the same document again while its inputs are unchanged returns the
existing one (done, queued or running); a change to any input (a new comment, a response, a
milestone met, a template change) gives a new document.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.models import Organisation
from commissioning.services.events import record_event
from workers.documents.briefing_requests import close_requests
from workers.documents.content import LANGUAGES, build_data, purchaser_of, subject_model
from workers.documents.render import render_document
from workers.models import Document
from workers.publishing import send

Kind = Document.Kind

# Bump when a template or a builder changes what a document looks like: every document
# made by the old templates is then rendered afresh when ordered again.
TEMPLATE_VERSION = "2"


def inputs_hash(*, kind: str, language: str, data: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "language": language, "template": TEMPLATE_VERSION, "data": data},
        cls=DjangoJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _require_comparison(kind: str, subject, compared_with) -> None:
    """A redline compares its subject with another version of the same rulebook; no other
    kind compares with anything."""
    if kind != Kind.RULEBOOK_REDLINE:
        if compared_with is not None:
            raise RuleViolation(
                _("Only a redline compares two versions; leave out the version to compare with."),
                fields={"against": [_("Leave it out for this kind of document.")]},
                code="document_not_a_redline",
            )
        return
    if compared_with is None or compared_with.rulebook_id != subject.rulebook_id:
        raise RuleViolation(
            _("A redline compares two versions of the same rulebook: name the other one."),
            fields={"against": [_("The id of a version of the same rulebook.")]},
            code="invalid_diff_base",
        )


def order_document(
    *, actor, acting_for: Organisation, kind: str, subject, language: str, compared_with=None
):
    """Order a PDF of `subject` (for a redline, compared with the version `compared_with`).
    Returns (document, created): an unchanged document that is done, queued or running is
    returned as it is; a failed one is queued again."""
    if kind not in Kind.values or not isinstance(subject, subject_model(kind)):
        raise RuleViolation(
            _("A %(kind)s cannot be made of this; choose the kind that fits what you order.")
            % {"kind": kind},
            fields={"kind": [_("This kind does not fit the subject.")]},
            code="document_kind_mismatch",
        )
    if language not in LANGUAGES:
        raise RuleViolation(
            _("Documents are written in Swedish (sv), Norwegian Bokmål (nb) or English (en)."),
            fields={"language": [_("Choose sv, nb or en.")]},
            code="document_language",
        )
    _require_comparison(kind, subject, compared_with)
    purchaser = purchaser_of(subject)
    policies.require_purchaser_staff(actor, acting_for, purchaser)
    data = build_data(
        kind=kind, subject=subject, language=language, person=actor, compared_with=compared_with
    )
    digest = inputs_hash(kind=kind, language=language, data=data)
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        document, created = Document.objects.select_for_update().get_or_create(
            kind=kind,
            subject_type=subject_type,
            subject_id=str(subject.pk),
            language=language,
            inputs_hash=digest,
            compared_with=compared_with,
            defaults={
                "purchaser": purchaser,
                "requested_by": actor,
                "acting_for": acting_for,
            },
        )
        # Failed: a failure (a worker out of memory, a bug since fixed) is not a verdict on
        # the inputs. Queued: its render may never have reached a worker (the broker was
        # down when it was ordered). Ordering again is how a person retries either; a render
        # delivered twice is done once (render_now).
        resend = document.status == Document.Status.QUEUED and not created
        requeued = document.status == Document.Status.FAILED
        if requeued:
            document.status = Document.Status.QUEUED
            document.progress = 0
            document.error = ""
            document.requested_by = actor
            document.acting_for = acting_for
            document.save(
                update_fields=["status", "progress", "error", "requested_by", "acting_for"]
            )
        record_event(
            actor=actor,
            acting_for=acting_for,
            verb="document.ordered",
            subject=document,
            after={
                "kind": kind,
                "language": language,
                "subject_id": str(subject.pk),
                "compared_with": compared_with.pk if compared_with is not None else None,
                "inputs_hash": digest,
                "new": created,
                "requeued": requeued,
            },
            purchaser=purchaser,
        )
        if kind == Kind.BRIEFING:
            close_requests(actor=actor, acting_for=acting_for, document=document, programme=subject)
        if created or requeued or resend:
            document_id = document.id
            transaction.on_commit(
                lambda: send(render_document, document_id, otherwise="ordering it again sends it")
            )
    return document, created
