"""A 30-page politician briefing: its full render through the task code (data → HTML → PDF
→ stored file, workers.documents.render.render_now) beside WeasyPrint rendering the same HTML
alone, in one run.

    uv run python bench/briefing_render.py [--comments 150] [--runs 3]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite. Targets: full render ≤ 1.2 × WeasyPrint
alone, and ≤ 3 s.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from types import SimpleNamespace

import harness
from harness import Row

TARGET_RATIO = 1.2
TARGET_SECONDS = 3.0
# WeasyPrint and fontTools log every layout step and glyph subset at DEBUG/INFO.
NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "celery")


def django_env() -> dict[str, str | None]:
    return {
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT")
        or tempfile.mkdtemp(prefix="bench-briefing-media-"),
        "CELERY_BROKER_URL": None,  # nothing is sent: the bench calls the task code
    }


def _prepare(comments: int):
    """Purchaser A's programme with the document scene of the tests (a closed consultation,
    a held meeting, a contract, milestones) and `comments` more comments, half answered,
    plus held meetings over eight quarters for the dialogue-share chart."""
    from django.utils import timezone

    from commissioning.models import Membership
    from dialogue.models import AgendaItem
    from tests.dialogue.factories import AgendaItemFactory
    from tests.dialogue.meeting_factories import HeldMeetingFactory
    from tests.factories import (
        MembershipFactory,
        NetworkFactory,
        NetworkMembershipFactory,
        PersonFactory,
        ProgrammeFactory,
        ProviderFactory,
        PurchaserFactory,
    )
    from tests.workers.document_factories import crowd_comments, document_scene

    harness.migrate()
    purchaser = PurchaserFactory(name=f"Region Jämtland Härjedalen {time.time_ns()}")
    provider = ProviderFactory(name="Hälsocentralen Åre")
    network = NetworkFactory(name="Privata vårdgivare i Jämtland")
    member = ProviderFactory(name="Östersunds läkarhus")
    NetworkMembershipFactory(network=network, provider=member)
    officer = MembershipFactory(
        person=PersonFactory(), organisation=purchaser, role=Membership.Role.OFFICER
    ).person
    world = SimpleNamespace(
        purchaser_a=purchaser,
        provider_in_a=provider,
        network=network,
        network_member=member,
        programme_a=ProgrammeFactory(purchaser=purchaser, participants=[provider, network]),
        people={"officer_a": officer},
    )
    document_scene(world)
    crowd_comments(world, comments)
    for quarter in range(8):
        meeting = HeldMeetingFactory(
            arena=None,
            programme=world.programme_a,
            purchaser=purchaser,
            starts_at=timezone.now() - datetime.timedelta(days=30 + 91 * quarter),
        )
        AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.INFORMATION, planned_minutes=60)
        AgendaItemFactory(meeting=meeting, planned_minutes=15 + 10 * quarter)
    return world


def measure(*, comments: int = 150, runs: int = 3) -> list[Row]:
    """The briefing's full render beside WeasyPrint alone on the same HTML, each the median of
    `runs`; Django must be set up."""
    import weasyprint
    from django.db import connection

    from workers.documents import render
    from workers.documents.content import build_data
    from workers.documents.orders import order_document
    from workers.models import Document

    world = _prepare(comments)
    document, _created = order_document(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        kind=Document.Kind.BRIEFING,
        subject=world.programme_a,
        language="sv",
    )
    full, alone = [], []
    for _run in range(runs):
        Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED, progress=0)
        start = time.perf_counter()
        render.render_now(document.pk)
        full.append(time.perf_counter() - start)
        document.refresh_from_db()
        assert document.status == Document.Status.DONE, document.error
        data = build_data(
            kind=document.kind,
            subject=world.programme_a,
            language=document.language,
            person=world.people["officer_a"],
        )
        html = render.render_html(document, data)
        start = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        alone.append(time.perf_counter() - start)
    connection.close()
    full_s, alone_s = statistics.median(full), statistics.median(alone)
    ratio = full_s / alone_s
    return [
        Row(
            f"briefing: render s, {document.pages} pages, {comments + 3} comments, "
            f"median of {runs} (floor: WeasyPrint alone)",
            f"{full_s:.2f}",
            f"{alone_s:.2f}",
            f"<= {TARGET_SECONDS:.0f}",
            full_s <= TARGET_SECONDS,
        ),
        Row(
            "briefing: render / WeasyPrint alone",
            f"{ratio:.2f}×",
            "1.00×",
            f"<= {TARGET_RATIO}×",
            ratio <= TARGET_RATIO,
        ),
    ]


def main() -> int:
    return harness.run_alone(
        __doc__, "politician briefing", measure, quiet=NOISY_LOGGERS, **django_env()
    )


if __name__ == "__main__":
    sys.exit(main())
