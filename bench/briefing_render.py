"""A 30-page politician briefing: its full render through the task code (data → HTML → PDF
→ stored file, workers.document_tasks.render_now) beside WeasyPrint rendering the same HTML
alone, in one run.

    uv run python bench/briefing_render.py [--comments 150] [--runs 3]

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite. Targets: full render ≤ 1.2 × WeasyPrint
alone, and ≤ 3 s.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.2
TARGET_SECONDS = 3.0


def _database_url() -> tuple[str, bool]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url, False
    import psycopg

    from tests import postgresql_server

    url = postgresql_server.start()
    host = url.split("host=", 1)[1]
    with psycopg.connect(dbname="postgres", user="postgres", host=host, autocommit=True) as conn:
        conn.execute("CREATE DATABASE commissioning")
    return url, True


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-briefing-media-"))
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is sent: the bench calls the task code
    import django

    django.setup()
    import logging

    # WeasyPrint and fontTools log every layout step and glyph subset at DEBUG/INFO.
    for name in ("weasyprint", "weasyprint.progress", "fontTools", "celery"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _prepare(comments: int):
    """Purchaser A's programme with the document scene of the tests (a closed consultation,
    a held meeting, a contract, milestones) and `comments` more comments, half answered,
    plus held meetings over eight quarters for the dialogue-share chart."""
    from django.core.management import call_command
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

    call_command("migrate", verbosity=0)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    url, started = _database_url()
    try:
        _django(url)
        import weasyprint

        from workers import document_tasks
        from workers.documents import build_data, order_document
        from workers.models import Document

        world = _prepare(options.comments)
        document, _created = order_document(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            kind=Document.Kind.BRIEFING,
            subject=world.programme_a,
            language="sv",
        )
        full, alone = [], []
        for _run in range(options.runs):
            Document.objects.filter(pk=document.pk).update(
                status=Document.Status.QUEUED, progress=0
            )
            start = time.perf_counter()
            document_tasks.render_now(document.pk)
            full.append(time.perf_counter() - start)
            document.refresh_from_db()
            assert document.status == Document.Status.DONE, document.error
            data = build_data(
                kind=document.kind,
                subject=world.programme_a,
                language=document.language,
                person=world.people["officer_a"],
            )
            html = document_tasks.render_html(document, data)
            start = time.perf_counter()
            weasyprint.HTML(string=html).write_pdf()
            alone.append(time.perf_counter() - start)
        full_s, alone_s = statistics.median(full), statistics.median(alone)
        ratio = full_s / alone_s
        print(
            f"\npolitician briefing: {document.pages} pages, {options.comments + 3} comments, "
            f"median of {options.runs} runs, {os.cpu_count()} CPUs\n"
        )
        rows = [
            ("", "seconds", "target"),
            ("full render (data → HTML → PDF → file)", f"{full_s:.2f}", f"<= {TARGET_SECONDS:.0f}"),
            ("WeasyPrint alone, same HTML", f"{alone_s:.2f}", ""),
            ("ratio", f"{ratio:.2f}×", f"<= {TARGET_RATIO}×"),
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        ok = ratio <= TARGET_RATIO and full_s <= TARGET_SECONDS
        print(f"\nresult: {'meets' if ok else 'misses'} the target")
        from django.db import connection

        connection.close()
        return 0 if ok else 1
    finally:
        if started:
            from tests import postgresql_server

            postgresql_server.stop()


if __name__ == "__main__":
    sys.exit(main())
