"""Speed as people feel it: the lists and the closing surge over HTTP, through gunicorn as the
README runs it, with wrk, each figure beside its floor behind the same gunicorn.

Starts the README's production topology (tests/production/topology.py: the commands of
"Running in production" as written, gunicorn, the Celery workers and beat, on a PostgreSQL
and a Redis of its own) with generated data (`generate_scale_data --scale 1` instead of the
demo data); the one change to the gunicorn command is its WSGI module, bench.floor_wsgi,
which hands every request to config.wsgi except the floors' (/bench-floor/...). Then:

- every list route of the API (bench/http_lists.py), as the manager of the first generated
  purchaser with an API token of theirs: page size 100 with 1 client (p50, p95,
  p99) and 4 clients (requests/s), page size 10 with 1 client (p50); the floor of each (the
  same page of rows, one SQL query, json.dumps) the same way;
- the closing surge (bench/http_surge.py): 64 providers, each its own token and
  X-Acting-For, 5 comments each in the last seconds before the close, then one more each
  after it; the floor: the same posts as plain INSERTs; and the service-level figure of
  bench/consultation_surge.py on the same database.

    uv run python bench/over_http.py                       # everything, scale 1
    uv run python bench/over_http.py --routes heaviest --seconds 3 --scale 0.05
    uv run python bench/over_http.py --gunicorn "--workers 2 --threads 4" \\
        --env DATABASE_CONN_MAX_AGE=60                     # try a server setting

Needs wrk (Debian: apt-get install wrk) and the PostgreSQL and Redis server binaries (as
the tests do). Prints one table: figure, measured, floor, ratio, target, met; the exit status
is 0 only when every target is met. Not part of the test suite.
"""

import argparse
import datetime
import json
import os
import shlex
import sys
import time

import cpu_time
import harness
import http_lists
import http_surge
import list_endpoints
import wrk

from tests.production.topology import Client, Topology

HEADER = ("figure", "measured", "floor (same run)", "ratio", "target", "met")
SIZES = (10, 100)
MANAGER_ADDRESS = "203.0.113.200"
MAX_P50_RATIO, MAX_P95_RATIO, MIN_THROUGHPUT_SHARE, MAX_P99_TO_P95 = 5.0, 6.0, 0.2, 2.0
MAX_SMALL_PAGE_MS, MIN_SURGE_RATE = 10.0, 300.0


def row(figure, measured, floor="", ratio="", target="", met=None) -> tuple:
    return (figure, measured, floor, ratio, target, met)


def cells(found: tuple) -> tuple[str, ...]:
    *text, met = found
    return (*text, "" if met is None else ("yes" if met else "no"))


class BenchTopology(Topology):
    """The README's topology on generated data, gunicorn serving bench.floor_wsgi."""

    def __init__(self, *, scale: float, seed: int, gunicorn: str | None, env: dict):
        super().__init__()
        self.scale, self.seed, self.gunicorn_flags, self.extra_env = scale, seed, gunicorn, env
        self.floor_file = self.root / "floor-queries.json"
        self.generated_in = 0.0
        self.gunicorn_command = ""

    def environment(self) -> dict[str, str]:
        return {
            **super().environment(),
            "BENCH_FLOOR_QUERIES": str(self.floor_file),
            **self.extra_env,
        }

    def substituted(self, command) -> str:
        """As written, but on a free port; gunicorn serves bench.floor_wsgi, with other
        flags if --gunicorn gives them."""
        run = command.run.replace("--bind 0.0.0.0:8000", f"--bind 127.0.0.1:{self.web_port}")
        if " gunicorn " not in f" {run} ":
            return run
        words = shlex.split(run)
        at = words.index("config.wsgi")
        words[at] = "bench.floor_wsgi"
        if self.gunicorn_flags is not None:
            bind = words[words.index("--bind") : words.index("--bind") + 2]
            words = [*words[: at + 1], *shlex.split(self.gunicorn_flags), *bind]
        self.gunicorn_command = shlex.join(words)
        return self.gunicorn_command

    def load_demo_data(self) -> None:
        """The generated data instead of the demo's (no broker: nothing is relayed)."""
        env = {k: v for k, v in self.env.items() if k != "CELERY_BROKER_URL"}
        line = shlex.join(
            [
                *("uv", "run", "--no-sync", "python", "manage.py", "generate_scale_data"),
                *("--scale", f"{self.scale:g}", "--seed", str(self.seed)),
            ]
        )
        began = time.perf_counter()
        result = self.run_shell(line, env, timeout=1800)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        self.generated_in = time.perf_counter() - began


# --- the lists ------------------------------------------------------------------------


def _ratio(measured: float, floor: float) -> float:
    return measured / floor if floor else float("inf")


def _list_rows(route, base: str, headers: dict, seconds: float) -> list[tuple]:
    def measure(url: str, connections: int) -> wrk.Figures:
        return wrk.run(base + url, headers, connections=connections, seconds=seconds)

    # Warm every worker first (imports, caches), product and floor alike.
    for url in (route.url(100), route.floor_url(100)):
        wrk.run(base + url, headers, connections=4, seconds=1)
    one, floor_one = measure(route.url(100), 1), measure(route.floor_url(100), 1)
    four, floor_four = measure(route.url(100), 4), measure(route.floor_url(100), 4)
    small, floor_small = measure(route.url(10), 1), measure(route.floor_url(10), 1)
    name = route.name + ("" if route.hand_floor else " (floor: its own columns)")
    p50, p95 = _ratio(one.p50_ms, floor_one.p50_ms), _ratio(one.p95_ms, floor_one.p95_ms)
    tail = _ratio(one.p99_ms, one.p95_ms)
    share = _ratio(four.per_second, floor_four.per_second)
    errors = sum(f.errors for f in (one, floor_one, four, floor_four, small, floor_small))
    found = [
        row(
            f"{name}: p50 ms, 1 client, page 100",
            f"{one.p50_ms:.1f}",
            f"{floor_one.p50_ms:.2f}",
            f"{p50:.1f}×",
            f"<= {MAX_P50_RATIO:g}× floor",
            p50 <= MAX_P50_RATIO,
        ),
        row(
            f"{name}: p95 ms, 1 client, page 100",
            f"{one.p95_ms:.1f}",
            f"{floor_one.p95_ms:.2f}",
            f"{p95:.1f}×",
            f"<= {MAX_P95_RATIO:g}× floor",
            p95 <= MAX_P95_RATIO,
        ),
        row(
            f"{name}: p99 ms (/ its p95), 1 client, page 100",
            f"{one.p99_ms:.1f}",
            f"{floor_one.p99_ms:.2f}",
            f"{tail:.2f}× p95",
            f"<= {MAX_P99_TO_P95:g}× p95",
            tail <= MAX_P99_TO_P95,
        ),
        row(
            f"{name}: requests/s, 4 clients, page 100",
            f"{four.per_second:.0f}",
            f"{floor_four.per_second:.0f}",
            f"{share:.0%}",
            f">= {MIN_THROUGHPUT_SHARE:.0%} of floor",
            share >= MIN_THROUGHPUT_SHARE,
        ),
        row(
            f"{name}: p50 ms, 1 client, page 10",
            f"{small.p50_ms:.1f}",
            f"{floor_small.p50_ms:.2f}",
            f"{_ratio(small.p50_ms, floor_small.p50_ms):.1f}×",
            f"<= {MAX_SMALL_PAGE_MS:g} ms",
            small.p50_ms <= MAX_SMALL_PAGE_MS,
        ),
    ]
    if errors:
        found.append(row(f"{name}: errors (any run)", str(errors), "", "", "0", False))
    return found


def lists(topology: BenchTopology, which: str, seconds: float) -> list[tuple]:
    from django.utils import timezone

    purchaser, cast = list_endpoints._cast()
    ids = list_endpoints._heaviest(purchaser)
    manager = cast["manager"]
    signed = Client(
        topology.web_port,
        topology.host(),
        address=MANAGER_ADDRESS,
        token=http_surge.token(manager.pk),
    )
    found = http_lists.routes(ids, which)
    params = {
        "consultation": ids["consultation_pk"],
        "arena": ids["arena"],
        "purchaser": purchaser.pk,
        "today": timezone.localdate(),
    }
    topology.floor_file.write_text(
        json.dumps(http_lists.floor_queries(found, manager, params, SIZES))
    )
    headers = {
        "Host": topology.host(),
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": MANAGER_ADDRESS,
        "Accept": "application/json",
        "Authorization": f"Token {signed.token}",
    }
    base = f"http://127.0.0.1:{topology.web_port}"
    rows = []
    for route in found:
        answers = [signed.get(route.url(size)) for size in SIZES]
        answers += [signed.get(route.floor_url(size)) for size in SIZES]
        if any(answer.status != 200 for answer in answers):
            statuses = "/".join(str(answer.status) for answer in answers)
            rows.append(row(f"{route.name}: HTTP status", statuses, "", "", "200", False))
            continue
        rows += _list_rows(route, base, headers, seconds)
        print(f"  measured {route.name}", file=sys.stderr, flush=True)
    return rows


# --- the surge ------------------------------------------------------------------------


def surge(topology: BenchTopology, providers: int, comments: int, lead: float) -> list[tuple]:
    base, host = f"http://127.0.0.1:{topology.web_port}", topology.host()
    scene = http_surge.prepare(providers)
    meter = cpu_time.Meter(topology)
    posts = http_surge.surge(base, host, scene, comments=comments, lead=lead)
    during = meter.spent()
    drained = meter.settled("Celery workers")
    late = http_surge.after_close(base, host, scene)
    held = http_surge.stored(scene)
    floor = http_surge.floor(base, host, scene, comments=comments)
    floor_held = http_surge.floor_rows_stored()
    sent = providers * comments
    # Every post answered 201; anything else, a socket error or a post never answered counts.
    errors = posts.refused + posts.socket_errors + max(0, sent - posts.accepted - posts.refused)
    floor_errors = (
        floor.refused + floor.socket_errors + max(0, sent - floor.accepted - floor.refused)
    )
    lost = max(0, posts.accepted - held["count"]) + (held["count"] - held["revised"])
    unanswered = max(0, held["count"] - posts.accepted)
    late_accepted = late.accepted + held["after_close"]
    refused_409 = sum(1 for status in late.statuses if status == 409)
    rate_share = _ratio(posts.per_second, floor.per_second)
    return [
        *_cpu_rows(posts.accepted, during, drained),
        row(
            f"surge: comments/s over HTTP, {providers} providers × {comments}, token auth, "
            f"from {lead:g} s before the close (floor: plain INSERT)",
            f"{posts.per_second:.0f}",
            f"{floor.per_second:.0f}",
            f"{rate_share:.0%}",
            f">= {MIN_SURGE_RATE:g}",
            posts.per_second >= MIN_SURGE_RATE,
        ),
        row(
            "surge: seconds, first post to last answer",
            f"{posts.seconds:.2f}",
            f"{floor.seconds:.2f}",
        ),
        row(
            "surge: p50 / p95 / p99 ms of a post",
            f"{posts.p50_ms:.0f} / {posts.p95_ms:.0f} / {posts.p99_ms:.0f}",
            f"{floor.p50_ms:.0f} / {floor.p95_ms:.0f} / {floor.p99_ms:.0f}",
        ),
        row(
            "surge: errors (refused, socket errors, not sent)",
            f"{errors} (statuses {sorted(set(posts.statuses)) or '-'})",
            f"{floor_errors} (statuses {sorted(set(floor.statuses)) or '-'})",
            "",
            "0",
            errors == 0,
        ),
        row(
            "surge: lost (answered 201, not stored with its revision)",
            str(lost),
            str(max(0, floor.accepted - floor_held)),
            "",
            "0",
            lost == 0,
        ),
        row("surge: stored without a 201 answer", str(unanswered), "", "", "0", unanswered == 0),
        row(
            "surge: most comments stored for one provider",
            str(held["most_of_one"]),
            "",
            "",
            f"<= {comments}",
            held["most_of_one"] <= comments,
        ),
        row(
            f"surge: accepted after the close ({providers} posts after it; stored at or after)",
            str(late_accepted),
            "",
            "",
            "0",
            late_accepted == 0,
        ),
        row(
            "surge: posts after the close refused with 409",
            f"{refused_409} of {providers}",
            "",
            "",
            f"{providers} of {providers}",
            refused_409 == providers,
        ),
    ]


def _cpu_rows(accepted: int, during: dict, drained: dict) -> list[tuple]:
    """What a comment costs in CPU, by server (bench/cpu_time.py), and the rate this
    machine's CPUs could take at that cost: figures the load of other jobs does not move."""
    if not accepted:
        return []
    per = {group: seconds * 1000 / accepted for group, seconds in during.items()}
    follow_ups = drained["Celery workers"] * 1000 / accepted
    web = per["gunicorn"] + per["PostgreSQL"] + per["Redis"]
    cpus = os.cpu_count() or 1
    return [
        row(
            "surge: CPU ms per accepted comment during the posts: gunicorn / PostgreSQL / "
            "Redis / Celery workers",
            " / ".join(
                f"{per[group]:.1f}"
                for group in ("gunicorn", "PostgreSQL", "Redis", "Celery workers")
            ),
        ),
        row(
            "surge: CPU ms per accepted comment of the follow-ups (Celery workers, until done)",
            f"{follow_ups:.1f}",
        ),
        row(
            f"surge: comments/s {cpus} CPUs allow at these costs: the posts alone / "
            "with their follow-ups",
            f"{cpus * 1000 / web:.0f} / {cpus * 1000 / (web + follow_ups):.0f}",
        ),
    ]


def service_level(clients: int, comments: int) -> list[tuple]:
    """bench/consultation_surge.py's figure on the same database: the service function
    called in-process by `clients` processes, beside its plain INSERTs."""
    import consultation_surge

    first = consultation_surge.measure(clients=clients, comments=comments)[0]
    figure = f"service-level {first.figure.removeprefix('surge: ')}"
    return [row(figure, first.measured, first.floor)]


# --- the run --------------------------------------------------------------------------


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="generated data; 1 is full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--routes", choices=("all", "heaviest", "none"), default="all")
    parser.add_argument("--seconds", type=float, default=5.0, help="each timed wrk run")
    parser.add_argument("--providers", type=int, default=64, help="surge: one client each")
    parser.add_argument("--comments", type=int, default=5, help="surge: per provider")
    parser.add_argument("--lead", type=float, default=10.0, help="surge: s before the close")
    parser.add_argument("--no-surge", action="store_true")
    parser.add_argument("--service-clients", type=int, default=8)
    parser.add_argument("--service-comments", type=int, default=100)
    parser.add_argument(
        "--gunicorn", help="gunicorn's flags instead of the README's (--bind is kept)"
    )
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="for every server"
    )
    return parser.parse_args()


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    given = options()
    wrk.executable()
    began, load_before = datetime.datetime.now(datetime.UTC), load()
    topology = BenchTopology(
        scale=given.scale,
        seed=given.seed,
        gunicorn=given.gunicorn,
        env=dict(item.split("=", 1) for item in given.env),
    )
    try:
        topology.start()
        harness.setup_django(
            topology.database_url,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CELERY_BROKER_URL=None,
        )
        rows = [
            row(
                f"seconds to generate scale {given.scale:g} (generate_scale_data)",
                f"{topology.generated_in:.1f}",
            )
        ]
        if given.routes != "none":
            rows += lists(topology, given.routes, given.seconds)
        if not given.no_surge:
            rows += surge(topology, given.providers, given.comments, given.lead)
            rows += service_level(given.service_clients, given.service_comments)
        machine = harness.machine()
    finally:
        topology.stop()
    title = (
        f"over HTTP, {began:%Y-%m-%d %H:%M} UTC, {machine}, scale {given.scale:g}\n"
        f"gunicorn: {topology.gunicorn_command}\n"
        f"extra environment: {' '.join(given.env) or 'none'}\n"
        f"load average (1/5/15 min) at start: {load_before}; at end: {load()}"
    )
    harness.print_table(title, HEADER, (cells(found) for found in rows))
    ok = all(found[-1] is not False for found in rows)
    print(f"\nresult: {'meets every target' if ok else 'misses a target'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
