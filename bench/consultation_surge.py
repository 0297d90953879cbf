"""The consultation-close surge: N concurrent clients post comments to one consultation.

Each client is a process with its own database connection and calls the real service,
dialogue.services.comments.submit_comment (permission, FOR SHARE lock on the consultation,
acceptance instant, comment + revision + Event in one transaction). Beside it, the same run
measures PostgreSQL's own single-row insert rate on the same server: a plain INSERT loop of
similar rows into a scratch table, at the same concurrency, one transaction per row.

    uv run python bench/consultation_surge.py [--clients 8] [--comments 100]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite.
"""

import datetime
import multiprocessing
import sys
import time
from typing import Annotated

import harness
from harness import Row

TARGET_RATE = 300.0


def _prepare(clients: int) -> dict:
    """One purchaser, one programme with a rulebook draft, one provider (and representative)
    per client, an open consultation inviting them all."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from commissioning.models import Membership, Organisation, Participation, Programme
    from contracts.models import Clause, Rulebook, RulebookVersion
    from dialogue.services import consultations

    harness.migrate()
    stamp = str(int(time.time() * 1000))
    person = get_user_model()
    purchaser = Organisation.objects.create(
        name=f"Bench region {stamp}", kind=Organisation.Kind.PURCHASER, country="SE"
    )
    officer = person.objects.create(username=f"bench-officer-{stamp}")
    Membership.objects.create(person=officer, organisation=purchaser, role=Membership.Role.OFFICER)
    programme = Programme.objects.create(purchaser=purchaser, name=f"Bench vårdval {stamp}")
    version = RulebookVersion.objects.create(
        rulebook=Rulebook.objects.create(programme=programme, title="Regelbok"),
        number=1,
        status=RulebookVersion.Status.DRAFT,
    )
    clause = Clause.objects.create(
        version=version, key="4.2", heading="Rapportering", text="Vårdgivaren ska rapportera."
    )
    writers = []
    for n in range(clients):
        provider = Organisation.objects.create(
            name=f"Bench provider {n} {stamp}",
            kind=Organisation.Kind.PROVIDER,
            ownership=Organisation.Ownership.PRIVATE,
            country="SE",
        )
        Participation.objects.create(programme=programme, organisation=provider)
        representative = person.objects.create(username=f"bench-rep-{n}-{stamp}")
        Membership.objects.create(
            person=representative,
            organisation=provider,
            role=Membership.Role.PROVIDER_REPRESENTATIVE,
        )
        writers.append((representative.pk, provider.pk))
    now = timezone.now()
    consultation = consultations.create_consultation(
        actor=officer,
        acting_for=purchaser,
        rulebook_version=version,
        title="Bench consultation",
        opens_at=now,
        closes_at=now + datetime.timedelta(hours=1),
    )
    consultations.open_consultation(actor=officer, acting_for=purchaser, consultation=consultation)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_scratch_comment")
        cursor.execute(
            "CREATE TABLE bench_scratch_comment (id bigserial PRIMARY KEY, "
            "consultation_id bigint NOT NULL, organisation_id bigint NOT NULL, "
            "clause_id bigint, kind varchar(10) NOT NULL, body text NOT NULL, "
            "submitted_at timestamptz NOT NULL)"
        )
    connection.close()
    return {
        "consultation": consultation.pk,
        "clause": clause.pk,
        "writers": writers,
    }


def _comment_client(args) -> tuple[int, int]:
    """One client: its own connection, `count` comments through the service."""
    plan, index, count, start_at = args
    from django.contrib.auth import get_user_model
    from django.db import connection

    from commissioning.errors import DomainError
    from commissioning.models import Organisation
    from contracts.models import Clause
    from dialogue.models import Consultation
    from dialogue.services import comments

    connection.close()  # never share the parent's connection
    person_id, organisation_id = plan["writers"][index]
    actor = get_user_model().objects.get(pk=person_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    consultation = Consultation.objects.get(pk=plan["consultation"])
    clause = Clause.objects.get(pk=plan["clause"])
    _wait(start_at)
    accepted = errors = 0
    for n in range(count):
        try:
            comments.submit_comment(
                actor=actor,
                acting_for=organisation,
                consultation=consultation,
                kind="objection",
                clause=clause,
                body=f"Comment {n} from client {index}: **monthly** reporting is too often.",
            )
            accepted += 1
        except DomainError:
            errors += 1
    connection.close()
    return accepted, errors


def _insert_client(args) -> tuple[int, int]:
    """PostgreSQL's own rate: single-row INSERTs, one transaction each, own connection."""
    plan, index, count, start_at = args
    from django.db import connection
    from django.utils import timezone

    connection.close()
    _, organisation_id = plan["writers"][index]
    _wait(start_at)
    with connection.cursor() as cursor:
        for n in range(count):
            cursor.execute(
                "INSERT INTO bench_scratch_comment (consultation_id, organisation_id, clause_id, "
                "kind, body, submitted_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    plan["consultation"],
                    organisation_id,
                    plan["clause"],
                    "objection",
                    f"Comment {n} from client {index}: **monthly** reporting is too often.",
                    timezone.now(),
                ],
            )
    connection.close()
    return count, 0


def _wait(start_at: float) -> None:
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)


def _run(pool, function, plan, clients, count) -> tuple[float, int, int]:
    start_at = time.time() + 1.0  # every client connected and loaded before the clock starts
    results = pool.map(function, [(plan, i, count, start_at) for i in range(clients)])
    elapsed = time.time() - start_at
    return elapsed, sum(r[0] for r in results), sum(r[1] for r in results)


def measure(*, clients: int = 8, comments: Annotated[int, "per client"] = 100) -> list[Row]:
    """The surge and, on the same server at the same concurrency, plain INSERTs; Django must
    be set up."""
    from django.db import connection

    from dialogue.models import Comment, CommentRevision

    plan = _prepare(clients)
    sent = clients * comments
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        comment_time, accepted, errors = _run(pool, _comment_client, plan, clients, comments)
        insert_time, inserted, _ = _run(pool, _insert_client, plan, clients, comments)
    stored = Comment.objects.filter(consultation_id=plan["consultation"]).count()
    revisions = CommentRevision.objects.filter(
        comment__consultation_id=plan["consultation"]
    ).count()
    lost = (accepted - stored) + (stored - revisions)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_scratch_comment")
        scratch_rows = cursor.fetchone()[0]
    connection.close()
    comment_rate = accepted / comment_time
    insert_rate = inserted / insert_time
    return [
        Row(
            f"surge: comments/s, {clients} clients x {comments} (floor: plain INSERT)",
            f"{comment_rate:.0f}",
            f"{insert_rate:.0f}",
            f">= {TARGET_RATE:.0f}",
            comment_rate >= TARGET_RATE,
        ),
        Row(f"surge: seconds for {sent} comments", f"{comment_time:.2f}", f"{insert_time:.2f}"),
        Row("surge: share of the INSERT rate", f"{comment_rate / insert_rate:.0%}", "100%"),
        Row("surge: errors", str(errors), "0", "0", errors == 0),
        Row("surge: rows lost", str(lost), str(inserted - scratch_rows), "0", lost == 0),
    ]


def main() -> int:
    return harness.run_alone(__doc__, "consultation-close surge", measure)


if __name__ == "__main__":
    sys.exit(main())
