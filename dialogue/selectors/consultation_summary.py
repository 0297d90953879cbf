"""What a consultation gathered, in figures and clause by clause: the summary, the "you said,
we did" structure the PDF report renders, and the comment rows of the CSV export.

Everything here shows only what the viewer may see: comments through
`policies.visible_comments`, responses only to the purchaser's staff or once published at
the close (`commissioning.policies.may_read_responses`).

Definitions (also for the README):

- *comments* counts submitted comments; withdrawn ones are counted apart (`withdrawn`).
- *by ownership*: the ownership of the commenting provider (public, private, non-profit);
  a provider network has no ownership and is counted under `network`.
- *answered*: submitted comments that have a response; `share_answered` is answered ÷
  comments. Both are null for a viewer who may not read responses yet.
- *median response time* is in hours (one decimal), from the comment's `submitted_at` to
  the response's `created_at`, over answered submitted comments. Hours, because answers
  drafted during a window come within hours or days and a day figure would round them
  away; a report may divide by 24. It measures when the purchaser answered, not when the
  answer was published (that is the close, the same for all).
- *did not comment*: invited organisations with no submitted comment and no active
  co-signature of a submitted comment. A member provider that co-signed its network's
  comment took part (it stood behind that comment: one voice for many, the Swedish finding);
  a member that did not co-sign is not counted as taking part through its network. The list
  names organisations, so it is given only to the purchaser's staff, and to others after the
  close (when every comment is visible to them anyway); otherwise it is null.

Query counts are constant: grouped aggregates, never a query per comment or clause.
"""

import statistics
from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from commissioning import policies
from commissioning.models import Organisation
from contracts.models import Clause, RulebookVersion
from contracts.selectors.rulebooks import version_diff
from dialogue.markdown import render_markdown
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    CoSignature,
    Response,
)

Kind = Organisation.Kind
Ownership = Organisation.Ownership
SUBMITTED = Comment.Status.SUBMITTED
NETWORK = "network"


def consultation_for_reading(*, person, consultation_id) -> Consultation:
    """A consultation the person may see (its programme is visible to them), or 404."""
    queryset = policies.visible_consultations(person).select_related(
        "programme", "purchaser", "rulebook_version"
    )
    return policies.get_visible(queryset, pk=consultation_id)


def _sees_who_did_not_comment(person, consultation: Consultation) -> bool:
    return consultation.purchaser_id in policies.standing_of(
        person
    ).staff_purchasers or policies.window_closed(consultation)


# --- the summary --------------------------------------------------------------------------


def _clause_brief(row: dict) -> dict | None:
    if row["clause_id"] is None:
        return None
    return {"id": row["clause_id"], "key": row["clause__key"], "heading": row["clause__heading"]}


def _comment_groups(visible: QuerySet[Comment]) -> list[dict]:
    """The visible comments counted by status, kind, clause and organisation: one query."""
    return list(
        visible.order_by()
        .values(
            "status",
            "kind",
            "clause_id",
            "clause__key",
            "clause__heading",
            "clause__position",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "organisation__ownership",
        )
        .annotate(count=Count("id"), answered=Count("response"))
    )


def _tally(submitted: list[dict]) -> tuple[dict, dict, dict, dict]:
    """The submitted groups by clause, kind, ownership and network (networks counted apart
    from ownership: a network has none)."""
    by_clause: dict = {}
    by_kind = dict.fromkeys(Comment.Kind.values, 0)
    by_ownership = {**dict.fromkeys(Ownership.values, 0), NETWORK: 0}
    networks: dict[int, dict] = {}
    for g in submitted:
        entry = by_clause.setdefault(
            g["clause_id"],
            {
                "clause": _clause_brief(g),
                "order": (g["clause_id"] is None, g["clause__position"] or 0, g["clause__key"]),
                "comments": 0,
                "answered": 0,
            },
        )
        entry["comments"] += g["count"]
        entry["answered"] += g["answered"]
        by_kind[g["kind"]] += g["count"]
        if g["organisation__kind"] == Kind.PROVIDER_NETWORK:
            by_ownership[NETWORK] += g["count"]
            network = networks.setdefault(
                g["organisation_id"],
                {
                    "network": {"id": g["organisation_id"], "name": g["organisation__name"]},
                    "comments": 0,
                    "cosignatures": 0,
                    "cosigners": [],
                },
            )
            network["comments"] += g["count"]
        elif g["organisation__ownership"] in by_ownership:
            by_ownership[g["organisation__ownership"]] += g["count"]
    return by_clause, by_kind, by_ownership, networks


def _add_cosigners(visible: QuerySet[Comment], networks: dict[int, dict]) -> None:
    """Each network's active co-signatures of its submitted comments, and who signed."""
    if not networks:
        return
    signatures = (
        CoSignature.objects.filter(
            comment__in=visible.filter(status=SUBMITTED, organisation_id__in=list(networks)),
            withdrawn_at__isnull=True,
        )
        .order_by()
        .values("comment__organisation_id", "organisation_id", "organisation__name")
        .annotate(count=Count("id"))
        .order_by("organisation__name", "organisation_id")
    )
    for s in signatures:
        network = networks[s["comment__organisation_id"]]
        network["cosignatures"] += s["count"]
        network["cosigners"].append({"id": s["organisation_id"], "name": s["organisation__name"]})


def _median_response_hours(visible: QuerySet[Comment]) -> float | None:
    times = Response.objects.filter(comment__in=visible.filter(status=SUBMITTED)).values_list(
        "comment__submitted_at", "created_at"
    )
    hours = [max((made - submitted_at).total_seconds(), 0) / 3600 for submitted_at, made in times]
    return round(statistics.median(hours), 1) if hours else None


def consultation_summary(*, person, consultation: Consultation) -> dict:
    visible = policies.visible_comments(person, consultation)
    responses_readable = policies.may_read_responses(person, consultation)
    groups = _comment_groups(visible)
    submitted = [g for g in groups if g["status"] == SUBMITTED]
    total = sum(g["count"] for g in submitted)
    answered = sum(g["answered"] for g in submitted)
    by_clause, by_kind, by_ownership, networks = _tally(submitted)
    _add_cosigners(visible, networks)
    median_hours = None
    if responses_readable and answered:
        median_hours = _median_response_hours(visible)

    clauses = sorted(by_clause.values(), key=lambda e: e["order"])
    for entry in clauses:
        del entry["order"]
        if not responses_readable:
            entry["answered"] = None
    return {
        "consultation": _consultation_brief(consultation),
        "responses_published": policies.responses_published(consultation),
        "comments": total,
        "withdrawn": sum(g["count"] for g in groups if g["status"] != SUBMITTED),
        "answered": answered if responses_readable else None,
        "share_answered": (round(answered / total, 3) if responses_readable and total else None),
        "median_response_hours": median_hours,
        "by_clause": clauses,
        "by_kind": by_kind,
        "by_ownership": by_ownership,
        "by_network": sorted(
            networks.values(), key=lambda n: (n["network"]["name"], n["network"]["id"])
        ),
        "did_not_comment": (
            _did_not_comment(consultation)
            if _sees_who_did_not_comment(person, consultation)
            else None
        ),
    }


def _did_not_comment(consultation: Consultation) -> list[dict]:
    commented = Comment.objects.filter(consultation=consultation, status=SUBMITTED).values(
        "organisation_id"
    )
    cosigned = CoSignature.objects.filter(
        comment__consultation=consultation,
        comment__status=SUBMITTED,
        withdrawn_at__isnull=True,
    ).values("organisation_id")
    invited = ConsultationInvitation.objects.filter(consultation=consultation).values(
        "organisation_id"
    )
    silent = (
        Organisation.objects.filter(id__in=invited)
        .exclude(id__in=commented)
        .exclude(id__in=cosigned)
        .order_by("name", "id")
    )
    return [{"id": o.id, "name": o.name, "kind": o.kind, "ownership": o.ownership} for o in silent]


def _consultation_brief(consultation: Consultation) -> dict:
    return {
        "id": consultation.id,
        "title": consultation.title,
        "status": consultation.status,
        "visibility": consultation.visibility,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "time_zone": consultation.programme.time_zone,
    }


# --- comment rows: the comments a person sees, with what reports need -----------------------


def comment_rows(*, person, consultation: Consultation) -> QuerySet[Comment]:
    """The visible comments with their current text (the last revision), organisation,
    clause, response and active co-signers, in the order they were submitted. A fixed
    number of queries, whatever the number of comments."""
    return rows_of(policies.visible_comments(person, consultation))


def rows_of(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """comment_rows of any set of comments (the published ones: dialogue/selectors/
    publication.py)."""
    latest = CommentRevision.objects.filter(comment=OuterRef("pk")).order_by("-number")
    return (
        comments.select_related("organisation", "clause", "response__changed_clause__version")
        .annotate(
            current_text=Subquery(latest.values("body")[:1]),
            current_wording=Subquery(latest.values("suggested_wording")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "cosignatures",
                queryset=CoSignature.objects.filter(withdrawn_at__isnull=True)
                .select_related("organisation")
                .order_by("organisation__name", "id"),
                to_attr="active_cosignatures",
            )
        )
        .order_by("submitted_at", "id")
    )


def response_of(comment: Comment, *, responses_readable: bool) -> Response | None:
    if not responses_readable:
        return None
    try:
        return comment.response
    except Response.DoesNotExist:
        return None


def _changed_clause_brief(clause: Clause | None) -> dict | None:
    if clause is None:
        return None
    return {
        "id": clause.id,
        "key": clause.key,
        "heading": clause.heading,
        "version": {"id": clause.version_id, "number": clause.version.number},
    }


def _comment_entry(comment: Comment, *, responses_readable: bool) -> dict:
    response = response_of(comment, responses_readable=responses_readable)
    organisation = comment.organisation
    return {
        "id": comment.id,
        "kind": comment.kind,
        "status": comment.status,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "kind": organisation.kind,
            "ownership": organisation.ownership,
        },
        "clause": (
            None if comment.clause is None else {"id": comment.clause_id, "key": comment.clause.key}
        ),
        "span": (
            None
            if comment.span_start is None
            else {"start": comment.span_start, "end": comment.span_end}
        ),
        "is_network_comment": organisation.kind == Kind.PROVIDER_NETWORK,
        "cosigners": [
            {"id": s.organisation_id, "name": s.organisation.name}
            for s in comment.active_cosignatures
        ],
        "submitted_at": comment.submitted_at,
        "quoted_text": comment.quoted_text,
        "text": comment.current_text or "",
        "text_html": render_markdown(comment.current_text or ""),
        "suggested_wording": comment.current_wording or "",
        "response": (
            None
            if response is None
            else {
                "outcome": response.outcome,
                "reason": response.reason,
                "changed_clause": _changed_clause_brief(response.changed_clause),
            }
        ),
    }


# --- you said, we did ---------------------------------------------------------------------


def next_version_of(version: RulebookVersion | None) -> RulebookVersion | None:
    """The version made from the one consulted on (its based_on), if there is one yet."""
    if version is None:
        return None
    return RulebookVersion.objects.filter(based_on=version).order_by("number").first()


def _version_brief(version: RulebookVersion | None) -> dict | None:
    if version is None:
        return None
    return {"id": version.id, "number": version.number, "status": version.status}


def _changes_by_lineage(diff: dict) -> dict[str, dict]:
    """What became of each clause of the consulted version in the next one, by lineage."""
    found: dict[str, dict] = {}
    for change, entries in (("changed", diff["changed"]), ("moved", diff["moved"])):
        for entry in entries:
            fields = {c["field"]: c for c in entry["changes"]}
            heading = fields.get("heading")
            text = fields.get("text")
            found[entry["lineage"]] = {
                "change": change,
                "clause": {"id": entry["id"], "key": entry["key"], "heading": entry["heading"]},
                "heading": None
                if heading is None
                else {"old": heading["old"], "new": heading["new"]},
                "text_diff": None if text is None else text["words"],
            }
    for entry in diff["removed"]:
        found[entry["lineage"]] = {
            "change": "removed",
            "clause": None,
            "heading": None,
            "text_diff": None,
        }
    return found


def you_said_we_did(*, person, consultation: Consultation) -> dict:
    """Clause by clause: the comments (current text), their responses, and what the next
    version did to the clause (matched by lineage, word diff of the text). A plain structure
    of dicts and lists that the consultation report (PDF) renders. Comments on a contract
    version, and general comments, are listed under `general`."""
    return clause_by_clause(
        consultation,
        comment_rows(person=person, consultation=consultation),
        responses_readable=policies.may_read_responses(person, consultation),
    )


def clause_by_clause(consultation: Consultation, rows, *, responses_readable: bool) -> dict:
    """The structure of you_said_we_did for these comment rows (rows_of)."""
    comments = [_comment_entry(c, responses_readable=responses_readable) for c in rows]
    by_clause: dict[int | None, list[dict]] = defaultdict(list)
    for comment in comments:
        clause = comment["clause"]
        by_clause[None if clause is None else clause["id"]].append(comment)

    version = consultation.rulebook_version
    next_version = next_version_of(version)
    changes: dict[str, dict] = {}
    added: list[dict] = []
    if next_version is not None:
        diff = version_diff(old=version, new=next_version)
        changes = _changes_by_lineage(diff)
        added = [
            {"id": c["id"], "key": c["key"], "heading": c["heading"], "text": c["text"]}
            for c in diff["added"]
        ]
    clauses = []
    if version is not None:
        for clause in version.clauses.order_by("position", "key", "id"):
            if next_version is None:
                change = None
            else:
                change = changes.get(
                    str(clause.lineage),
                    {
                        "change": "unchanged",
                        "clause": {"id": None, "key": clause.key, "heading": clause.heading},
                        "heading": None,
                        "text_diff": None,
                    },
                )
            clauses.append(
                {
                    "clause": {
                        "id": clause.id,
                        "key": clause.key,
                        "heading": clause.heading,
                        "text": clause.text,
                    },
                    "comments": by_clause.pop(clause.id, []),
                    "next_version": change,
                }
            )
    # Whatever is left is general (or anchored to a contract version's terms).
    general = [c for rest in by_clause.values() for c in rest]
    general.sort(key=lambda c: (c["submitted_at"], c["id"]))
    return {
        "consultation": _consultation_brief(consultation),
        "responses_included": responses_readable,
        "responses_published": policies.responses_published(consultation),
        "version": _version_brief(version),
        "next_version": _version_brief(next_version),
        "clauses": clauses,
        "general": general,
        "added_clauses": added,
    }
