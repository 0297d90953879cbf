"""Consultations on every rulebook version, with the programme's participants invited,
comments (most anchored to a clause, half of those to a span inside the clause's text, as
the comment service checks) with their revisions, and the purchaser's responses."""

import datetime

from contracts.models import RulebookVersion
from demo.scale_data.copy import NOW, Ids, copy_rows
from demo.scale_data.plan import Built, rng
from dialogue.markdown import render_markdown
from dialogue.models import (
    Comment,
    CommentRevision,
    Consultation,
    ConsultationInvitation,
    Response,
)

V = RulebookVersion.Status
KINDS = [k for k, _ in Comment.Kind.choices]
OUTCOMES = [o for o, _ in Response.Outcome.choices]


def build(built: Built) -> None:
    random = rng(built.seed, "consultations")
    consultations = _consultations(built)
    _comments(built, random, consultations)


def _consultations(built: Built) -> list[tuple]:
    """(consultation id, version id, purchaser index, invited, opens, closes, open?)"""
    ids, invitation_ids = Ids(Consultation), Ids(ConsultationInvitation)
    rows, invitations, made = [], [], []
    for n, (version, g, status, created) in enumerate(built.rulebook_versions):
        home = built.programme_purchaser[g]
        opens = created + datetime.timedelta(days=5)
        closes = opens + datetime.timedelta(days=35)
        is_open = status == V.IN_CONSULTATION
        if is_open:
            # Open around NOW, so that the window holds both past and coming days.
            opens, closes = NOW - datetime.timedelta(days=20), NOW + datetime.timedelta(days=40)
        consultation = ids.one()
        rows.append(
            (
                consultation,
                built.purchasers[home],
                built.programmes[g],
                version,
                f"Consultation on rulebook version {n:03}",
                opens,
                closes,
                Consultation.Visibility.OPEN
                if n % 2
                else Consultation.Visibility.PRIVATE_UNTIL_CLOSE,
                Consultation.Status.OPEN if is_open else Consultation.Status.CLOSED,
                opens,
                None if is_open else closes,
                built.officers[home],
                opens - datetime.timedelta(days=3),
            )
        )
        invited = built.participants[g]
        invitations.extend((invitation_ids.one(), consultation, o) for o in invited)
        made.append((consultation, version, home, invited, opens, closes, is_open))
    built.count(
        "consultations",
        copy_rows(
            Consultation,
            [
                "id",
                "purchaser_id",
                "programme_id",
                "rulebook_version_id",
                "title",
                "opens_at",
                "closes_at",
                "visibility",
                "status",
                "opened_at",
                "closed_at",
                "created_by_id",
                "created_at",
            ],
            rows,
        ),
    )
    copy_rows(ConsultationInvitation, ["id", "consultation_id", "organisation_id"], invitations)
    return made


COMMENT_COLUMNS = [
    "id",
    "consultation_id",
    "organisation_id",
    "author_id",
    "clause_id",
    "span_start",
    "span_end",
    "quoted_text",
    "kind",
    "status",
    "submitted_at",
    "withdrawn_at",
]
REVISION_COLUMNS = [
    "id",
    "comment_id",
    "number",
    "body",
    "body_html",
    "suggested_wording",
    "written_by_id",
    "created_at",
]
RESPONSE_COLUMNS = [
    "id",
    "comment_id",
    "outcome",
    "reason",
    "written_by_id",
    "created_at",
    "updated_at",
]


class _CommentRows:
    def __init__(self):
        self.ids, self.revision_ids = Ids(Comment), Ids(CommentRevision)
        self.response_ids = Ids(Response)
        self.comments, self.revisions, self.responses = [], [], []


def _comments(built: Built, random, consultations: list[tuple]) -> None:
    rows = _CommentRows()
    for n in range(built.sizes["comments"]):
        consultation, version, home, invited, opens, closes, is_open = consultations[
            n % len(consultations)
        ]
        organisation = invited[(n // len(consultations)) % len(invited)]
        author = built.representative[organisation]
        latest = min(closes, NOW)
        submitted = opens + (latest - opens) * random.random()
        comment, clause, withdrawn = _comment(
            built, random, rows, consultation, version, organisation, author, submitted
        )
        _revisions(random, rows, n, comment, clause, author, submitted)
        if not withdrawn and random.random() < (0.4 if is_open else 0.9):
            rows.responses.append(
                (
                    rows.response_ids.one(),
                    comment,
                    random.choice(OUTCOMES),
                    "Thank you: we changed the clause where we could and explain why not "
                    "where we could not.",
                    built.officers[home],
                    submitted + datetime.timedelta(days=3),
                    submitted + datetime.timedelta(days=3),
                )
            )
    built.count("comments", copy_rows(Comment, COMMENT_COLUMNS, rows.comments))
    built.count("comment revisions", copy_rows(CommentRevision, REVISION_COLUMNS, rows.revisions))
    built.count("responses", copy_rows(Response, RESPONSE_COLUMNS, rows.responses))


def _comment(
    built: Built, random, rows: _CommentRows, consultation, version, organisation, author, submitted
):
    """One comment, most on a clause and half of those on a span of its text, a few
    withdrawn: (comment id, clause id or None, withdrawn?)."""
    clause = span_start = span_end = None
    quoted = ""
    if random.random() < 0.85:
        clause, text = random.choice(built.clauses[version])
        if random.random() < 0.5:
            span_start = random.randrange(len(text) - 1)
            span_end = random.randrange(span_start + 1, min(len(text), span_start + 80) + 1)
            quoted = text[span_start:span_end]
    withdrawn = random.random() < 0.03
    comment = rows.ids.one()
    rows.comments.append(
        (
            comment,
            consultation,
            organisation,
            author,
            clause,
            span_start,
            span_end,
            quoted,
            random.choice(KINDS),
            Comment.Status.WITHDRAWN if withdrawn else Comment.Status.SUBMITTED,
            submitted,
            submitted + datetime.timedelta(hours=2) if withdrawn else None,
        )
    )
    return comment, clause, withdrawn


def _revisions(random, rows: _CommentRows, n, comment, clause, author, submitted) -> None:
    """The first revision, and a second one in ten comments."""
    for number in range(1, 3 if random.random() < 0.1 else 2):
        body = (
            f"Comment {n} (revision {number}): the reporting burden is too heavy for "
            "small providers; please align it with the national registers."
        )
        rows.revisions.append(
            (
                rows.revision_ids.one(),
                comment,
                number,
                body,
                render_markdown(body),  # as CommentRevision.save() stores it
                "Report quarterly." if number == 1 and clause else "",
                author,
                submitted + datetime.timedelta(minutes=10 * (number - 1)),
            )
        )
