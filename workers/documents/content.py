"""What each kind of PDF document is made from: the plain data its template renders, built
in the document's language from the same selectors the API uses.

Providers asked for politicians who know the field (DESIGN.md): the briefing puts what
providers said, what was done with it, the dialogue share and trust trends and the
equal-treatment findings in front of them, in their language.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy, override

from commissioning.languages import language_of_country
from commissioning.models import Event, Milestone, Programme
from contracts.models import Contract, RulebookVersion
from dialogue.markdown import render_markdown
from dialogue.models import (
    AgendaItem,
    AttendanceEntry,
    Comment,
    Consultation,
    Decision,
    Meeting,
    Response,
)
from dialogue.selectors import consultation_summary, dialogue_share, equal_treatment
from workers.documents.rulebook_content import rulebook_redline_data, rulebook_version_data
from workers.models import Document, TrustPulse
from workers.selectors.pulses import pulse_trend

Kind = Document.Kind
LANGUAGES = [code for code, _label in Programme.Language.choices]

# What the next version of a rulebook did to a consulted clause
# (dialogue.selectors.consultation_summary.you_said_we_did), in words.
CHANGES = {
    "unchanged": gettext_lazy("Unchanged"),
    "changed": gettext_lazy("Changed"),
    "moved": gettext_lazy("Moved"),
    "removed": gettext_lazy("Removed"),
}

# A contract's history is its Events: each verb in words. A verb not named here (a new one)
# is shown as a change, never as its code.
CONTRACT_VERBS = {
    "contract.created": gettext_lazy("Created"),
    "contract.dialogue_started": gettext_lazy("Dialogue started"),
    "contract.negotiation_started": gettext_lazy("Negotiation started"),
    "contract.finalised": gettext_lazy("Finalised"),
    "contract.negotiation_reopened": gettext_lazy("Negotiation reopened"),
    "contract.signed": gettext_lazy("Signed"),
    "contract.activated": gettext_lazy("Activated"),
    "contract.ended": gettext_lazy("Ended"),
    "contract.terminated": gettext_lazy("Terminated"),
    "contract.terms_edited": gettext_lazy("Terms edited"),
    "contract.amended": gettext_lazy("Amended"),
    "contract.version_created": gettext_lazy("New version drafted"),
    "contract.party_added": gettext_lazy("Party added"),
    "contract.party_removed": gettext_lazy("Party removed"),
}
OTHER_CHANGE = gettext_lazy("Other change")


def subject_model(kind: str):
    return {
        Kind.MEETING_SUMMARY: Meeting,
        Kind.CONSULTATION_REPORT: Consultation,
        Kind.CONTRACT_SUMMARY: Contract,
        Kind.BRIEFING: Programme,
        Kind.RULEBOOK_VERSION: RulebookVersion,
        Kind.RULEBOOK_REDLINE: RulebookVersion,
    }[kind]


def purchaser_of(subject):
    """The purchaser whose document it is: a rulebook version's is its programme's."""
    if isinstance(subject, RulebookVersion):
        return subject.rulebook.programme.purchaser
    return subject.purchaser


def _programme_of(subject):
    if isinstance(subject, Programme):
        return subject
    if isinstance(subject, RulebookVersion):
        return subject.rulebook.programme
    return getattr(subject, "programme", None)


def reader_language(subject) -> str:
    """The language of the page the person ordering reads, when a document can be written in
    it; else the subject's own (default_language)."""
    language = (get_language() or "")[:2]
    return language if language in LANGUAGES else default_language(subject)


def default_language(subject) -> str:
    """The subject's programme language; a meeting without a programme speaks the language
    of its purchaser's country."""
    programme = _programme_of(subject)
    if programme is not None:
        return programme.language
    return language_of_country(subject.purchaser.country)


def build_data(*, kind: str, subject, language: str, person, compared_with=None) -> dict:
    """The plain data a document renders, built in its language (labels of choices are
    translated here) as `person` sees it; a redline's with the version it compares with."""
    builder = {
        Kind.MEETING_SUMMARY: meeting_data,
        Kind.CONSULTATION_REPORT: consultation_data,
        Kind.CONTRACT_SUMMARY: contract_data,
        Kind.BRIEFING: briefing_data,
        Kind.RULEBOOK_VERSION: rulebook_version_data,
        Kind.RULEBOOK_REDLINE: lambda version, person: rulebook_redline_data(
            version, person=person, compared_with=compared_with
        ),
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


def _agenda_by_kind(items) -> list[dict]:
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
    return by_kind


def _attendance(meeting) -> list[dict]:
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
    return attendance


def _actions(meeting) -> list[dict]:
    return [
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


def meeting_data(meeting, *, person) -> dict:
    items = list(
        meeting.agenda_items.order_by("position", "id")
        .select_related("presenter")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("id")))
    )
    tally = dialogue_share.tally((i.kind, i.planned_minutes, i.actual_minutes) for i in items)
    by_kind = _agenda_by_kind(items)
    attendance = _attendance(meeting)
    minutes = meeting.minutes.order_by("-number").first()
    actions = _actions(meeting)
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


def _comment_in_words(comment: dict) -> dict:
    comment["kind_label"] = str(Comment.Kind(comment["kind"]).label)
    if comment["response"] is not None:
        outcome = comment["response"]["outcome"]
        comment["response"]["outcome_label"] = str(Response.Outcome(outcome).label)
    return comment


def _live(comments: list[dict]) -> tuple[list[dict], int]:
    """The submitted comments, in words, and the number withdrawn: a withdrawn comment is
    left out of a document (its organisation took it back) and counted where it was, as the
    totals count it."""
    live = [_comment_in_words(c) for c in comments if c["status"] != Comment.Status.WITHDRAWN]
    return live, len(comments) - len(live)


def report_in_words(report: dict) -> dict:
    """The "you said, we did" structure as a document shows it: outcomes, kinds and changes
    as words of the document's language, withdrawn comments counted, not shown."""
    for entry in report["clauses"]:
        entry["comments"], entry["withdrawn"] = _live(entry["comments"])
        change = entry["next_version"]
        if change is not None:
            change["change_label"] = str(CHANGES.get(change["change"], OTHER_CHANGE))
    report["general"], report["general_withdrawn"] = _live(report["general"])
    return report


def consultation_data(consultation, *, person) -> dict:
    summary = consultation_summary.consultation_summary(person=person, consultation=consultation)
    report = report_in_words(
        consultation_summary.you_said_we_did(person=person, consultation=consultation)
    )
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
        {"what": str(CONTRACT_VERBS.get(e.verb, OTHER_CHANGE)), "at": e.created_at}
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
            "title": str(m.shown_title),  # built in the document's language
            "kind_label": str(m.get_kind_display()),
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "gating": m.gating,
            # As the API shows it: an absolute date, or days from the target decision date.
            "due_date": m.effective_due_date,
            "met_on": m.met_on,
        }
        for m in queryset.select_related("programme").order_by("position", "due_date", "id")
    ]


def trust_trend(programme) -> list[dict]:
    """The quarterly trust trend of the programme's pulses (workers.selectors.pulses)."""
    trend = pulse_trend(TrustPulse.objects.filter(programme=programme))
    return json.loads(json.dumps(trend, cls=DjangoJSONEncoder))


def briefing_data(programme, *, person) -> dict:
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
                "report": report_in_words(
                    consultation_summary.you_said_we_did(person=person, consultation=consultation)
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
