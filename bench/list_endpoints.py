"""The API's list endpoints on generated data at scale.

(a) Queries per request on every list route of the API (found by walking the URL conf, so a
new list endpoint is measured without anyone adding it here), as a generated purchaser
manager and a generated provider representative, at page sizes 10 and 100. Target: at most
10, and the same for both sizes (no query per row).

(b) p50/p95 latency of the heaviest lists at page size 100, through Django's test client in
this process (URL routing, authentication forced, the view, serialisation, JSON rendering):
the comments of the consultation with most comments, the meetings of the arena with most
meetings, relationship health and the milestones, as the manager of the first purchaser.
Each beside its floor, measured in the same run: the same page of rows fetched with one raw
SQL query and serialised with json. Target: p95 <= 3 x the floor's p95 and <= 50 ms.

The data: `manage.py generate_scale_data --scale N` (demo.scale_data), generated
here unless the database already holds generated data, which is then used as it is.

    uv run python bench/list_endpoints.py                  # full scale (about 2M rows)
    uv run python bench/list_endpoints.py --scale 0.05 --runs 20

Without a postgres:// DATABASE_URL a throwaway server is started (tests/postgresql_server.py)
and removed at the end. Not part of the test suite.
"""

import gc
import json
import statistics
import sys
import time
from typing import Annotated

import harness
from harness import Row

MAX_QUERIES = 10
TARGET_MS = 50.0
TARGET_RATIO = 3.0
PAGE_SIZES = (10, 100)


# --- the data ---------------------------------------------------------------------------


def _data(scale: float, seed: int) -> list[Row]:
    import io

    from django.core.management import call_command

    from demo import scale_data

    harness.migrate()
    found = scale_data.generated()
    if any(found.values()):
        return [Row("lists: generated data", f"existing ({found['organisations']} organisations)")]
    began = time.perf_counter()
    call_command(
        "generate_scale_data", "--scale", str(scale), "--seed", str(seed), stdout=io.StringIO()
    )
    seconds = time.perf_counter() - began
    return [
        Row(f"lists: seconds to generate scale {scale:g} (COPY, VACUUM ANALYZE)", f"{seconds:.1f}")
    ]


def _cast():
    """The manager of the first generated purchaser and a provider representative of it."""
    from commissioning.models import Membership

    generated = Membership.objects.filter(person__username__startswith="scale-").select_related(
        "person", "organisation"
    )
    manager = generated.filter(role=Membership.Role.MANAGER).order_by("id").first()
    purchaser = manager.organisation
    provider = (
        generated.filter(
            role=Membership.Role.PROVIDER_REPRESENTATIVE,
            organisation__kind="provider",
            organisation__contractparty__contract__purchaser=purchaser,
        )
        .order_by("id")
        .first()
    )
    return purchaser, {"manager": manager.person, "provider": provider.person}


def _heaviest(purchaser):
    """The ids of the busiest objects of the purchaser, for the routes that take one."""
    from django.db.models import Count

    from dialogue.models import Arena, Consultation

    consultation = (
        Consultation.objects.filter(purchaser=purchaser)
        .annotate(n=Count("comments"))
        .order_by("-n", "id")
        .first()
    )
    arena = (
        Arena.objects.filter(purchaser=purchaser)
        .annotate(n=Count("meetings"))
        .order_by("-n", "id")
        .first()
    )
    version = consultation.rulebook_version
    return {
        "consultation_pk": consultation.pk,
        "arena": arena.pk,
        "rulebook_pk": version.rulebook_id,
        "version_pk": version.pk,
    }


# --- (a) queries per request on every list route ----------------------------------------


def list_routes() -> list[tuple[str, str]]:
    """(URL name or path, route with <kwargs>) of every GET list route under /api/v1/."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.mixins import ListModelMixin

    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
                continue
            assert isinstance(pattern, URLPattern)
            view = pattern.callback
            cls = getattr(view, "cls", None)
            if cls is None or not route.startswith("api/v1/"):
                continue
            actions = getattr(view, "actions", None)
            if actions is not None:
                is_list = actions.get("get") == "list"
            else:
                is_list = issubclass(cls, ListModelMixin) or "pagination_class" in cls.__dict__
            if is_list and "(?P<format>" not in route and "\\.(?P" not in route:
                found.append((pattern.name or route, "/" + route))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found), key=lambda item: item[1])


def _fill(route: str, ids: dict) -> str:
    import re

    def value(match):
        return str(ids[match.group(1)])

    return re.sub(r"<(?:int:)?(\w+)>", value, route)


def _queries(client, person, path: str, size: int) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commissioning import policies

    # A real request loads its person afresh; force_authenticate reuses one object.
    policies.forget_standing(person)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": size})
    return response.status_code, len(captured)


def query_rows(cast, ids) -> list[Row]:
    from rest_framework.test import APIClient

    rows = []
    for _name, route in list_routes():
        path = _fill(route, ids)
        cells, ok = [], True
        for actor, person in cast.items():
            client = APIClient()
            client.force_authenticate(person)
            results = [_queries(client, person, path, size) for size in PAGE_SIZES]
            statuses = {status for status, _ in results}
            counts = [count for _, count in results]
            # A provider may not read every list (404/403 is its answer): counted all the same.
            cells.append(
                f"{actor} {'/'.join(map(str, counts))}"
                + ("" if statuses == {200} else f" ({'/'.join(map(str, sorted(statuses)))})")
            )
            ok &= counts[0] == counts[1] <= MAX_QUERIES and statuses <= {200, 403, 404}
            if actor == "manager":
                ok &= statuses == {200}
        rows.append(
            Row(
                f"queries/request, page 10/100: GET {route}",
                ", ".join(cells),
                "",
                f"<= {MAX_QUERIES}, same",
                ok,
            )
        )
    return rows


# --- (b) latency of the heaviest lists beside their floors -------------------------------

FLOOR_SQL = {
    "comments of a consultation": """
        SELECT c.id, c.kind, c.status, c.submitted_at, c.withdrawn_at, c.span_start,
               c.span_end, c.quoted_text, o.id, o.name, o.kind, o.ownership,
               cl.id, cl.key, cl.heading, r.number, r.body, r.suggested_wording,
               r.created_at, resp.id IS NOT NULL
        FROM dialogue_comment c
        JOIN commissioning_organisation o ON o.id = c.organisation_id
        LEFT JOIN contracts_clause cl ON cl.id = c.clause_id
        JOIN LATERAL (
            SELECT number, body, suggested_wording, created_at FROM dialogue_commentrevision
            WHERE comment_id = c.id ORDER BY number DESC LIMIT 1
        ) r ON true
        LEFT JOIN dialogue_response resp ON resp.comment_id = c.id
        WHERE c.consultation_id = %(consultation)s
        ORDER BY c.submitted_at, c.id LIMIT 100""",
    "meetings of an arena": """
        SELECT m.id, m.title, m.starts_at, m.ends_at, m.time_zone, m.place, m.video_link,
               m.status, m.uid, m.sequence, pu.id, pu.name, a.id, a.name, g.id, g.name,
               (SELECT json_agg(json_build_array(i.organisation_id, i.person_id))
                FROM dialogue_invitation i WHERE i.meeting_id = m.id),
               minutes.dialogue, minutes.total
        FROM dialogue_meeting m
        JOIN commissioning_organisation pu ON pu.id = m.purchaser_id
        JOIN dialogue_arena a ON a.id = m.arena_id
        LEFT JOIN commissioning_programme g ON g.id = m.programme_id
        LEFT JOIN LATERAL (
            SELECT SUM(COALESCE(actual_minutes, planned_minutes))
                       FILTER (WHERE kind = 'dialogue') AS dialogue,
                   SUM(COALESCE(actual_minutes, planned_minutes)) AS total
            FROM dialogue_agendaitem WHERE meeting_id = m.id
        ) minutes ON true
        WHERE m.arena_id = %(arena)s
        ORDER BY m.starts_at DESC, m.id LIMIT 100""",
    "relationship health": """
        WITH pairs AS (
            SELECT p.purchaser_id, pa.organisation_id AS provider_id
            FROM commissioning_participation pa
            JOIN commissioning_programme p ON p.id = pa.programme_id
            JOIN commissioning_organisation o ON o.id = pa.organisation_id
            WHERE p.purchaser_id = %(purchaser)s AND o.kind IN ('provider', 'provider_network')
            UNION
            SELECT c.purchaser_id, cp.organisation_id
            FROM contracts_contractparty cp
            JOIN contracts_contract c ON c.id = cp.contract_id
            JOIN commissioning_organisation o ON o.id = cp.organisation_id
            WHERE c.purchaser_id = %(purchaser)s AND o.kind IN ('provider', 'provider_network')
        ), met AS (
            SELECT m.purchaser_id, e.organisation_id, MAX(m.starts_at) AS last
            FROM dialogue_attendanceentry e
            JOIN dialogue_attendancerevision r ON r.id = e.revision_id
            JOIN dialogue_meeting m ON m.id = r.meeting_id
            WHERE e.status = 'present' AND m.purchaser_id = %(purchaser)s
              AND m.status IN ('held', 'minutes_approved')
              AND NOT EXISTS (SELECT 1 FROM dialogue_attendancerevision later
                              WHERE later.meeting_id = r.meeting_id AND later.number > r.number)
            GROUP BY 1, 2
        ), concerns AS (
            SELECT purchaser_id,
                   CASE WHEN raised_by_id = purchaser_id THEN raised_with_id
                        ELSE raised_by_id END AS other,
                   COUNT(*) FILTER (WHERE status IN ('raised', 'acknowledged', 'discussed'))
                       AS open,
                   COUNT(*) FILTER (WHERE status = 'raised' AND reply_by < %(today)s) AS overdue,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY EXTRACT(EPOCH FROM acknowledged_at - created_at) / 86400
                   ) AS median
            FROM dialogue_concern WHERE purchaser_id = %(purchaser)s GROUP BY 1, 2
        ), actions AS (
            SELECT m.purchaser_id, a.owner_organisation_id AS provider_id, COUNT(*) AS open,
                   COUNT(*) FILTER (WHERE a.due_date < %(today)s) AS overdue
            FROM dialogue_actionitem a JOIN dialogue_meeting m ON m.id = a.meeting_id
            WHERE a.status = 'open' AND m.purchaser_id = %(purchaser)s GROUP BY 1, 2
        )
        SELECT pu.id, pu.name, o.id, o.name, o.kind, o.ownership, met.last,
               COALESCE(c.open, 0), COALESCE(c.overdue, 0), COALESCE(a.open, 0),
               COALESCE(a.overdue, 0), c.median, COALESCE(s.no_meeting_alert_days, 90)
        FROM pairs
        JOIN commissioning_organisation pu ON pu.id = pairs.purchaser_id
        JOIN commissioning_organisation o ON o.id = pairs.provider_id
        LEFT JOIN met ON met.purchaser_id = pairs.purchaser_id
                     AND met.organisation_id = pairs.provider_id
        LEFT JOIN concerns c ON c.purchaser_id = pairs.purchaser_id
                            AND c.other = pairs.provider_id
        LEFT JOIN actions a ON a.purchaser_id = pairs.purchaser_id
                           AND a.provider_id = pairs.provider_id
        LEFT JOIN dialogue_relationshipsettings s ON s.purchaser_id = pairs.purchaser_id
        ORDER BY met.last IS NULL OR met.last < %(today)s::date
                     - COALESCE(s.no_meeting_alert_days, 90) DESC,
                 COALESCE(c.overdue, 0) + COALESCE(a.overdue, 0) DESC,
                 COALESCE(c.open, 0) + COALESCE(a.open, 0) DESC,
                 met.last NULLS FIRST, lower(pu.name), lower(o.name)
        LIMIT 100""",
    "milestones": """
        SELECT ms.id, ms.programme_id, ms.contract_id, ms.position, ms.title, ms.description,
               ms.rationale, ms.kind, ms.status, ms.gating, ms.due_date, ms.due_offset_days,
               ms.met_on, ms.waiver_reason, p.target_decision_date
        FROM commissioning_milestone ms
        JOIN commissioning_programme p ON p.id = ms.programme_id
        WHERE p.purchaser_id = %(purchaser)s
        ORDER BY ms.programme_id, ms.position, ms.id LIMIT 100""",
}

PATHS = {
    "comments of a consultation": "/api/v1/consultations/{consultation_pk}/comments/",
    "meetings of an arena": "/api/v1/meetings/?arena={arena}",
    "relationship health": "/api/v1/relationships/",
    "milestones": "/api/v1/milestones/",
}


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time_endpoint(client, person, path: str, runs: int) -> list[float]:
    from commissioning import policies

    separator = "&" if "?" in path else "?"
    url = f"{path}{separator}page_size=100"
    timings = []
    for run in range(runs + 3):
        policies.forget_standing(person)
        began = time.perf_counter()
        response = client.get(url)
        body = response.content
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, (url, body[:300])
        if run >= 3:  # the first three warm the caches, as a running server's would be
            timings.append(elapsed)
    return timings


def _without_collector(client, person, path: str, runs: int) -> list[float]:
    """The same requests with the cyclic garbage collector paused: the difference to the
    measured p95 is what its full collections (of the whole Django heap) cost."""
    gc.collect()
    gc.disable()
    try:
        return _time_endpoint(client, person, path, runs)
    finally:
        gc.enable()


def _time_floor(sql: str, params: dict, runs: int) -> tuple[list[float], int]:
    from django.db import connection

    timings, count = [], 0
    for run in range(runs + 3):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        body = json.dumps(rows, default=str).encode()
        elapsed = time.perf_counter() - began
        count = len(rows)
        assert body
        if run >= 3:
            timings.append(elapsed)
    return timings, count


def latency_rows(purchaser, manager, ids, runs: int) -> list[Row]:
    from django.utils import timezone
    from rest_framework.test import APIClient

    # As config/wsgi.py does once the application has loaded.
    from config.server import settle_memory

    settle_memory()
    client = APIClient()
    client.force_authenticate(manager)
    params = {
        "consultation": ids["consultation_pk"],
        "arena": ids["arena"],
        "purchaser": purchaser.pk,
        "today": timezone.localdate(),
    }
    rows = []
    for name, sql in FLOOR_SQL.items():
        path = PATHS[name].format(**ids)
        measured = _percentiles(_time_endpoint(client, manager, path, runs))
        floor_timings, count = _time_floor(sql, params, runs)
        floor = _percentiles(floor_timings)
        paused = _percentiles(_without_collector(client, manager, path, runs))
        ratio = measured[1] / floor[1] if floor[1] else float("inf")
        rows.append(
            Row(
                f"latency ms p50/p95, page 100: {name} ({count} rows; floor: one SQL + json)",
                f"{measured[0]:.1f} / {measured[1]:.1f} ({ratio:.1f}x floor)",
                f"{floor[0]:.1f} / {floor[1]:.1f}",
                f"p95 <= {TARGET_RATIO:g}x floor, <= {TARGET_MS:.0f}",
                ratio <= TARGET_RATIO and measured[1] <= TARGET_MS,
            )
        )
        rows.append(
            Row(
                "  the same with Python's cyclic GC paused (diagnostic: what its pauses cost)",
                f"{paused[0]:.1f} / {paused[1]:.1f}",
            )
        )
    return rows


def measure(
    *,
    scale: Annotated[float, "size of the generated data; 1 is full scale"] = 1.0,
    seed: Annotated[int, "seed of the generated data"] = 1,
    runs: Annotated[int, "timed requests per endpoint (after three to warm up)"] = 50,
) -> list[Row]:
    """Both parts on generated data of `scale` (generated unless already there)."""
    from django.conf import settings

    # The test client's host; read per request, so adding it here is enough.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    rows = _data(scale, seed)
    purchaser, cast = _cast()
    ids = _heaviest(purchaser)
    rows += query_rows(cast, ids)
    rows += latency_rows(purchaser, cast["manager"], ids, runs)
    return rows


def main() -> int:
    return harness.run_alone(
        __doc__, "list endpoints on generated data (in-process test client)", measure
    )


if __name__ == "__main__":
    sys.exit(main())
