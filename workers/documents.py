"""PDF documents ordered through the API: who may order them, what each kind is made from,
and the one rule that a document is never rendered twice for the same inputs.

A document's `inputs_hash` is the SHA-256 of a canonical JSON of everything it is made from:
the data the template renders (built here, from the same selectors the API uses), its kind,
its language and TEMPLATE_VERSION. Ordering the same document again while its inputs are
unchanged returns the existing one (done, queued or running); a change to any input (a new
comment, a response, a milestone met, a template change) gives a new document.

Providers asked for politicians who know the field (DESIGN.md): the briefing puts what
providers said, what was done with it, the dialogue share and trust trends and the
equal-treatment findings in front of them, in their language.
"""

import hashlib
import json
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from commissioning import policies
from commissioning.errors import RuleViolation
from commissioning.languages import language_of_country
from commissioning.models import Event, Milestone, Organisation, Programme
from commissioning.services import record_event
from workers.models import Document
from workers.relay import handles

logger = logging.getLogger(__name__)

# Bump when a template or a builder changes what a document looks like: every document
# made by the old templates is then rendered afresh when ordered again.
TEMPLATE_VERSION = "1"

Kind = Document.Kind
TEMPLATES = {
    Kind.MEETING_SUMMARY: "workers/pdf/meeting_summary.html",
    Kind.CONSULTATION_REPORT: "workers/pdf/consultation_report.html",
    Kind.CONTRACT_SUMMARY: "workers/pdf/contract_summary.html",
    Kind.BRIEFING: "workers/pdf/briefing.html",
}
LANGUAGES = [code for code, _label in Programme.Language.choices]


def subject_model(kind: str):
    from contracts.models import Contract
    from dialogue.models import Consultation, Meeting

    return {
        Kind.MEETING_SUMMARY: Meeting,
        Kind.CONSULTATION_REPORT: Consultation,
        Kind.CONTRACT_SUMMARY: Contract,
        Kind.BRIEFING: Programme,
    }[kind]


def default_language(subject) -> str:
    """The subject's programme language; a meeting without a programme speaks the language
    of its purchaser's country."""
    programme = subject if isinstance(subject, Programme) else getattr(subject, "programme", None)
    if programme is not None:
        return programme.language
    return language_of_country(subject.purchaser.country)


# --- ordering -----------------------------------------------------------------------------


def inputs_hash(*, kind: str, language: str, data: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "language": language, "template": TEMPLATE_VERSION, "data": data},
        cls=DjangoJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def order_document(*, actor, acting_for: Organisation, kind: str, subject, language: str):
    """Order a PDF of `subject`. Returns (document, created): an unchanged document that is
    done, queued or running is returned as it is; a failed one is queued again."""
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
    purchaser = subject.purchaser
    policies.require_purchaser_staff(actor, acting_for, purchaser)
    data = build_data(kind=kind, subject=subject, language=language, person=actor)
    digest = inputs_hash(kind=kind, language=language, data=data)
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        document, created = Document.objects.select_for_update().get_or_create(
            kind=kind,
            subject_type=subject_type,
            subject_id=str(subject.pk),
            language=language,
            inputs_hash=digest,
            defaults={
                "purchaser": purchaser,
                "requested_by": actor,
                "acting_for": acting_for,
            },
        )
        requeued = document.status == Document.Status.FAILED
        if requeued:
            # A failure (a worker out of memory, a bug since fixed) is not a verdict on the
            # inputs: ordering again is how a person retries.
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
                "inputs_hash": digest,
                "new": created,
                "requeued": requeued,
            },
            purchaser=purchaser,
        )
        if created or requeued:
            from workers.document_tasks import render_document

            document_id = document.id
            transaction.on_commit(lambda: render_document.delay(document_id))
    return document, created


# --- what each kind is made from ------------------------------------------------------------


def build_data(*, kind: str, subject, language: str, person) -> dict:
    """The plain data a document renders, built in its language (labels of choices are
    translated here) as `person` sees it."""
    builder = {
        Kind.MEETING_SUMMARY: meeting_data,
        Kind.CONSULTATION_REPORT: consultation_data,
        Kind.CONTRACT_SUMMARY: contract_data,
        Kind.BRIEFING: briefing_data,
    }[kind]
    with override(language):
        data = builder(subject, person=person)
    # A round trip through JSON makes the data exactly what was hashed (lazy strings
    # resolved, tuples as lists), so the worker renders what the hash speaks of.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _organisation(organisation) -> dict:
    return {
        "id": organisation.id,
        "name": organisation.name,
        "kind": organisation.kind,
        "ownership": organisation.ownership or "",
    }


def meeting_data(meeting, *, person) -> dict:
    from dialogue.markdown import render_markdown
    from dialogue.models import AgendaItem, AttendanceEntry, Decision
    from dialogue.selectors import dialogue_share

    items = list(
        meeting.agenda_items.order_by("position", "id")
        .select_related("presenter")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("id")))
    )
    tally = dialogue_share.tally((i.kind, i.planned_minutes, i.actual_minutes) for i in items)
    by_kind = []
    for kind, label in AgendaItem.Kind.choices:
        of_kind = [i for i in items if i.kind == kind]
        by_kind.append(
            {
                "kind": kind,
                "label": str(label),
                "minutes": sum(
                    dialogue_share.item_minutes(i.planned_minutes, i.actual_minutes)
                    for i in of_kind
                ),
                "items": [
                    {
                        "position": i.position,
                        "title": i.title,
                        "minutes": dialogue_share.item_minutes(i.planned_minutes, i.actual_minutes),
                    }
                    for i in of_kind
                ],
            }
        )
    revision = meeting.attendance.order_by("-number").first()
    attendance = []
    if revision is not None:
        for entry in revision.entries.select_related("organisation", "person").order_by(
            "organisation__name", "id"
        ):
            attendance.append(
                {
                    "organisation": entry.organisation.name,
                    "person": entry.person.get_full_name() if entry.person else "",
                    "status": entry.status,
                    "status_label": str(AttendanceEntry.Status(entry.status).label),
                }
            )
    minutes = meeting.minutes.order_by("-number").first()
    actions = [
        {
            "title": a.title,
            "owner": a.owner_organisation.name if a.owner_organisation else "",
            "due_date": a.due_date,
            "status": a.status,
            "status_label": str(a.get_status_display()),
        }
        for a in meeting.action_items.select_related("owner_organisation").order_by(
            "due_date", "id"
        )
    ]
    return {
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "time_zone": meeting.time_zone,
            "place": meeting.place,
            "status_label": str(meeting.get_status_display()),
            "arena": meeting.arena.name if meeting.arena_id else "",
            "programme": meeting.programme.name if meeting.programme_id else "",
            "purchaser": meeting.purchaser.name,
        },
        "agenda_by_kind": by_kind,
        "dialogue_share": tally.share,
        "information_heavy": tally.information_heavy,
        "dialogue_minutes": tally.dialogue_minutes,
        "total_minutes": tally.total_minutes,
        "attendance": attendance,
        "decisions": [{"item": i.title, "text": d.text} for i in items for d in i.decisions.all()],
        "actions": actions,
        "minutes_html": render_markdown(minutes.text) if minutes else "",
    }


def consultation_data(consultation, *, person) -> dict:
    from dialogue import consultation_summary

    summary = consultation_summary.consultation_summary(person=person, consultation=consultation)
    report = consultation_summary.you_said_we_did(person=person, consultation=consultation)
    return {
        "programme": consultation.programme.name,
        "purchaser": consultation.purchaser.name,
        "description": consultation.description,
        "summary": summary,
        "report": report,
    }


def contract_data(contract, *, person) -> dict:
    parties = [
        {**_organisation(p.organisation), "role_label": str(p.get_role_display())}
        for p in contract.parties.select_related("organisation").order_by("role", "id")
    ]
    history = [
        {"verb": e.verb, "at": e.created_at, "after": e.after or {}}
        for e in Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(contract), subject_id=str(contract.pk)
        ).order_by("created_at", "id")
    ]
    versions = [
        {
            "number": v.number,
            "title": v.title,
            "is_amendment": v.is_amendment,
            "change_summary": v.change_summary,
            "kind_label": str(v.get_kind_display()),
            "period_start": v.period_start,
            "period_end": v.period_end,
            "value": v.value,
            "currency": v.currency,
            "sealed_at": v.sealed_at,
        }
        for v in contract.versions.order_by("number")
    ]
    obligations = [
        {
            "title": o.title,
            "owed_by": o.owed_by.name,
            "cadence_label": str(o.get_cadence_display()),
            "first_due": o.first_due,
            "until": o.until,
            "fulfilments": len(o.fulfilments.all()),
        }
        for o in contract.obligations.select_related("owed_by")
        .prefetch_related("fulfilments")
        .order_by("first_due", "id")
    ]
    return {
        "contract": {
            "id": contract.id,
            "reference": contract.reference,
            "title": versions[-1]["title"] if versions else contract.reference,
            "status_label": str(contract.get_status_display()),
            "signed_at": contract.signed_at,
            "programme": contract.programme.name,
            "purchaser": contract.purchaser.name,
            "time_zone": contract.programme.time_zone,
        },
        "parties": parties,
        "history": history,
        "versions": versions,
        "obligations": obligations,
        "milestones": _milestones(Milestone.objects.filter(contract=contract)),
    }


def _milestones(queryset) -> list[dict]:
    return [
        {
            "title": m.title,
            "kind_label": str(m.get_kind_display()),
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "gating": m.gating,
            "due_date": m.due_date,
            "met_on": m.met_on,
        }
        for m in queryset.order_by("position", "due_date", "id")
    ]


def trust_trend(programme) -> list[dict] | None:
    """The quarterly trust trend of the programme's pulses, from workers.pulses; None while
    that module does not exist yet (the briefing then says there are no trust figures)."""
    try:
        from workers.pulses import pulse_trend
    except ImportError:
        return None
    from workers.models import TrustPulse

    trend = pulse_trend(TrustPulse.objects.filter(programme=programme))
    return json.loads(json.dumps(trend, cls=DjangoJSONEncoder))


def briefing_data(programme, *, person) -> dict:
    from dialogue import consultation_summary
    from dialogue.models import Meeting
    from dialogue.selectors import dialogue_share, equal_treatment

    consultations = []
    for consultation in programme.consultations.select_related(
        "programme", "purchaser", "rulebook_version"
    ).order_by("opens_at", "id"):
        consultations.append(
            {
                "title": consultation.title,
                "status_label": str(consultation.get_status_display()),
                "summary": consultation_summary.consultation_summary(
                    person=person, consultation=consultation
                ),
                "report": consultation_summary.you_said_we_did(
                    person=person, consultation=consultation
                ),
            }
        )
    shares = dialogue_share.quarterly_series(Meeting.objects.filter(programme=programme))
    milestones = _milestones(programme.milestones.all())
    return {
        "programme": {
            "id": programme.id,
            "name": programme.name,
            "description": programme.description,
            "purchaser": programme.purchaser.name,
            "phase_label": str(programme.get_phase_display()),
            "framework_label": str(programme.get_framework_display()),
            "target_decision_date": programme.target_decision_date,
            "time_zone": programme.time_zone,
        },
        "decisions_ahead": [
            m for m in milestones if m["status"] == Milestone.Status.PLANNED and m["gating"]
        ],
        "milestones": milestones,
        "consultations": consultations,
        "dialogue_share_trend": [
            {"label": q.label, "share": q.share, "meetings": q.meetings} for q in shares
        ],
        "trust_trend": trust_trend(programme),
        "equal_treatment": equal_treatment.programme_report(programme=programme),
    }


KIND_TITLES = {
    Kind.MEETING_SUMMARY: gettext_lazy("Meeting summary"),
    Kind.CONSULTATION_REPORT: gettext_lazy("Consultation report: you said, we did"),
    Kind.CONTRACT_SUMMARY: gettext_lazy("Contract summary"),
    Kind.BRIEFING: gettext_lazy("Briefing for politicians"),
}


# --- reading ---------------------------------------------------------------------------------


def document_list(*, person):
    """The documents a person may read (policies.visible_documents), newest first."""
    return (
        policies.visible_documents(person)
        .select_related("subject_type")
        .order_by("-created_at", "-id")
    )


def documents_of(*, person, kind: str, subject):
    """The documents of one kind made of one subject that the person may read, newest first."""
    return document_list(person=person).filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
    )


def document_get(*, person, document_id) -> Document:
    return policies.get_visible(document_list(person=person), pk=document_id)


def subject_for_order(*, person, kind: str, subject_id):
    """The subject a document is ordered of, if the person sees it (else 404)."""
    from contracts.models import Contract
    from dialogue.models import Consultation, Meeting

    visible = {
        Programme: lambda: policies.visible_programmes(person),
        Meeting: lambda: policies.visible_meetings(person),
        Consultation: lambda: policies.visible_consultations(person),
        Contract: lambda: policies.visible_contracts(person),
    }[subject_model(kind)]()
    return policies.get_visible(visible.select_related("purchaser"), pk=subject_id)


# --- follow-ups of the relay ------------------------------------------------------------


@handles("consultation.closed")
def order_report_after_close(event: Event) -> None:
    """A closed consultation gets its "you said, we did" report straight away, in the
    programme's language, ordered for the officer who ran the consultation: providers see
    what happened to what they said (the Swedish finding on trust)."""
    from dialogue.models import Consultation

    consultation = (
        Consultation.objects.select_related("programme", "purchaser", "created_by")
        .filter(pk=event.subject_id)
        .first()
    )
    if consultation is None or consultation.created_by is None:
        return
    officer = consultation.created_by
    if consultation.purchaser_id not in policies.standing_of(officer).staff_purchasers:
        logger.warning(
            "Consultation %s closed, but %s no longer works for its purchaser: no report "
            "ordered; order it from the API.",
            consultation.pk,
            officer,
        )
        return
    order_document(
        actor=officer,
        acting_for=consultation.purchaser,
        kind=Kind.CONSULTATION_REPORT,
        subject=consultation,
        language=consultation.programme.language,
    )
