"""Faults in the README's production topology, over HTTP only (tests/production/topology.py:
gunicorn with 2 workers, two Celery workers and beat on a PostgreSQL and a Redis of their
own, REDIS_CACHE_URL and CELERY_BROKER_URL on the same Redis, DEBUG off, the demo data):

- a gunicorn worker killed with SIGKILL under load: no 5xx, its master starts another;
- PostgreSQL stopped for 10 s under load: 503 with Retry-After, nothing half-written, and
  the same gunicorn processes answer again once it is back;
- Redis stopped during a burst of comments and meeting logs from 4 clients: every write
  2xx and saved; once Redis is back, every follow-up exactly once (emails counted at the
  SMTP server, rows in the database).

The clients pace their writes below the README's default throttle (120 writes a minute per
person), which stays on: the throttles are part of what is tested. Each test prints its
figures."""

import datetime
import http.client
import itertools
import os
import re
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import pytest

from demo.people import DEMO_PASSWORD
from tests.production.topology import wait_until

pytestmark = pytest.mark.production

WRITE_INTERVAL = 0.5  # seconds between one client's writes: 120 a minute at most
READ_INTERVAL = 0.02
CONNECTION_ERRORS = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


# --- the cast, from the demo data -------------------------------------------------------


@dataclass
class Person:
    client: object
    id: int
    organisation: int


@dataclass
class Cast:
    officers: list[Person]  # log meetings for the region
    providers: list[Person]  # comment on its open consultation
    consultation: int
    arena: int


@pytest.fixture(scope="module")
def cast(production) -> Cast:
    def person(username, address):
        client = production.client().signed_in(username, DEMO_PASSWORD, address)
        me = client.get("/api/v1/memberships/me/").json()
        return Person(client, me["id"], me["memberships"][0]["organisation"]["id"])

    officers = [
        person("erik.officer", "203.0.113.21"),
        person("anna.manager", "203.0.113.22"),
    ]
    providers = [
        person("sara.provider", "203.0.113.23"),
        person("maria.alvstaden", "203.0.113.24"),
    ]
    consultations = officers[0].client.get("/api/v1/consultations/").json()
    (consultation,) = [c["id"] for c in consultations["results"] if c["status"] == "open"]
    arena = officers[0].client.get("/api/v1/arenas/").json()["results"][0]["id"]
    return Cast(officers, providers, consultation, arena)


# --- load from threads --------------------------------------------------------------------


@dataclass
class Outcome:
    at: float  # seconds since the load started, when sent
    what: str
    label: str  # a meeting's title, a comment's body
    status: int | None = None  # None: no answer (the connection failed)
    error: str = ""
    retry_after: str | None = None
    code: str = ""
    answered_at: float = 0.0


@dataclass
class Load:
    """Clients in threads, each calling its function in a loop until stopped."""

    started: float = field(default_factory=time.monotonic)
    outcomes: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def call(self, what: str, label: str, send) -> Outcome:
        at = self.now()
        try:
            answer = send()
        except CONNECTION_ERRORS as exc:
            outcome = Outcome(at, what, label, error=type(exc).__name__)
        else:
            code = ""
            if answer.status >= 400 and answer.body.startswith(b"{"):
                code = answer.json().get("error", {}).get("code", "")
            outcome = Outcome(
                at,
                what,
                label,
                answer.status,
                retry_after=answer.headers.get("Retry-After"),
                code=code,
            )
        outcome.answered_at = self.now()
        with self.lock:
            self.outcomes.append(outcome)
        return outcome

    def client(self, step, pause: float = 0.0) -> None:
        def loop():
            for n in itertools.count():
                if self.stop.is_set():
                    return
                step(n)
                if pause:
                    self.stop.wait(pause)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def finish(self) -> list[Outcome]:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads)
        return sorted(self.outcomes, key=lambda o: o.at)


def statuses(outcomes) -> dict:
    return dict(sorted(Counter(o.status or o.error for o in outcomes).items(), key=str))


def comment_step(load, person: Person, consultation: int, tag: str):
    def step(n):
        body = f"{tag} comment {person.id}-{n}: the reporting cycle is too short."
        load.call(
            "comment",
            body,
            lambda: person.client.post(
                f"/api/v1/consultations/{consultation}/comments/",
                {"kind": "objection", "body": body},
                acting_for=person.organisation,
            ),
        )

    return step


def meeting_step(load, person: Person, cast: Cast, tag: str):
    """Log a meeting held two days ago (its trust pulses are due at once), with the two
    providers of the cast present."""

    def step(n):
        title = f"{tag} meeting {person.id}-{n}"
        start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(
            days=2
        )
        present = [{"organisation": p.organisation, "person": p.id} for p in cast.providers]
        body = {
            "meeting": {
                "title": title,
                "arena": cast.arena,
                "starts_at": start.isoformat(),
                "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
                "place": "Regionens hus",
                "invitees": present,
            },
            "attendance": [{**entry, "status": "present"} for entry in present],
            "agenda": [{"title": "Open floor", "kind": "dialogue", "planned_minutes": 60}],
            "minutes": "Held during a fault test.",
        }
        load.call(
            "meeting",
            title,
            lambda: person.client.post(
                "/api/v1/meetings/log/", body, acting_for=person.organisation
            ),
        )

    return step


def read_step(load, person: Person, cast: Cast):
    paths = itertools.cycle(
        [f"/api/v1/consultations/{cast.consultation}/", "/api/v1/meetings/?page_size=10"]
    )

    def step(n):
        path = next(paths)
        load.call("read", path, lambda: person.client.get(path))

    return step


def tag() -> str:
    return "T" + uuid.uuid4().hex[:8]


def meetings_saved(production, tag: str) -> dict[str, tuple[int, int]]:
    """title → (agenda items, attendance entries) of every meeting the test wrote."""
    rows = production.sql(
        "SELECT m.title,"
        " (SELECT count(*) FROM dialogue_agendaitem a WHERE a.meeting_id = m.id),"
        " (SELECT count(*) FROM dialogue_attendanceentry e JOIN dialogue_attendancerevision r"
        "  ON r.id = e.revision_id WHERE r.meeting_id = m.id)"
        " FROM dialogue_meeting m WHERE m.title LIKE %s",
        f"{tag} %",
    )
    return {title: (agenda, attendance) for title, agenda, attendance in rows}


def comments_saved(production, tag: str) -> set[str]:
    rows = production.sql(
        "SELECT r.body FROM dialogue_comment c JOIN dialogue_commentrevision r"
        " ON r.comment_id = c.id AND r.number = 1 WHERE r.body LIKE %s",
        f"{tag} %",
    )
    return {body for (body,) in rows}


def all_servers_running(production):
    """Every server is up. gunicorn never needed its supervisor; a Celery worker may have
    (Celery 5.7 / kombu 5.7 can exit on a broker connection lost under load, README "Running
    in production"): its restarts are reported, and nothing it was doing may be lost."""
    for name, process in production.servers.items():
        log = production.log(name)
        errors = [line for line in log.splitlines() if "ERROR" in line or "CRITICAL" in line]
        assert process.poll() is None, f"{name}'s supervisor stopped:\n{log[-3000:]}"
        if production.restarts(name):
            print(f"[production] {name} restarted {production.restarts(name)}x; its errors:")
            print("\n".join(errors[:30]))
    assert production.restarts("gunicorn") == 0, production.log("gunicorn")[-3000:]


def restarts(production) -> dict:
    return {name: production.restarts(name) for name in production.servers}


# --- a gunicorn worker killed -------------------------------------------------------------


def test_a_gunicorn_worker_killed_under_load_costs_no_5xx(production, cast, report):
    marker = tag()
    before = production.gunicorn_workers()
    assert len(before) == 2
    load = Load()
    for person in cast.providers:
        load.client(comment_step(load, person, cast.consultation, marker), WRITE_INTERVAL)
        load.client(read_step(load, person, cast), READ_INTERVAL)
    time.sleep(2.5)
    victim = min(before)
    killed_at = load.now()
    os.kill(victim, signal.SIGKILL)

    def replacement():
        workers = production.gunicorn_workers()
        return workers if len(workers) == 2 and victim not in workers else None

    replaced = wait_until(
        replacement,
        timeout=30,
        what="gunicorn's master to start another worker",
    )
    replaced_at = load.now()
    time.sleep(3)
    outcomes = load.finish()

    failed = [o for o in outcomes if o.status is None]
    written = {o.label for o in outcomes if o.what == "comment" and o.status == 201}
    saved = comments_saved(production, marker)
    report(
        "gunicorn worker killed with SIGKILL under load",
        {
            "requests": len(outcomes),
            "statuses": statuses(outcomes),
            "connection errors": [(f"{o.at:.2f} s", o.what, o.error) for o in failed],
            "killed at / replaced by": f"{killed_at:.2f} s / {replaced_at:.2f} s",
            "workers before / after": f"{sorted(before)} / {sorted(replaced)}",
            "comments answered 201 / saved": f"{len(written)} / {len(saved)}",
        },
    )
    assert not [o for o in outcomes if o.status and o.status >= 500]
    assert all(o.status in (200, 201) for o in outcomes if o.status is not None)
    # A worker of one thread serves one request at a time: only the one it was serving can
    # be lost.
    assert len(failed) <= 1
    assert written <= saved
    assert len(saved - written) <= len(failed)
    assert [o for o in outcomes if o.at > replaced_at and o.status in (200, 201)]
    all_servers_running(production)


# --- PostgreSQL stopped -------------------------------------------------------------------

OUTAGE_SECONDS = 10


def test_postgresql_stopped_for_ten_seconds_answers_503_and_recovers_without_restart(
    production, cast, report
):
    marker = tag()
    workers = production.gunicorn_workers()
    load = Load()
    for person in cast.officers:
        load.client(meeting_step(load, person, cast, marker), WRITE_INTERVAL)
    for person in cast.providers:
        load.client(read_step(load, person, cast), READ_INTERVAL)
    time.sleep(3)
    stopped_at = load.now()
    production.cluster.stop("fast")
    stopped = load.now()  # stopping takes a moment: requests sent meanwhile met it too
    time.sleep(OUTAGE_SECONDS / 2)
    ready_during = production.readiness()
    time.sleep(OUTAGE_SECONDS / 2)
    production.cluster.start()
    back_at = load.now()

    def answered_since_back():
        after = [o for o in load.outcomes if o.at > back_at + 1]
        return len([o for o in after if o.status in (200, 201)]) >= 12

    wait_until(answered_since_back, timeout=60, what="answers after PostgreSQL came back")
    outcomes = load.finish()

    unavailable = [o for o in outcomes if o.status == 503]
    wrote = {o.label for o in outcomes if o.what == "meeting" and o.status == 201}
    refused = {o.label for o in outcomes if o.what == "meeting" and o.status == 503}
    # Committed, then the database lost while the answer was read back: that 503 says so.
    saved_unanswered = {o.label for o in outcomes if o.code == "saved_unconfirmed"}
    saved = meetings_saved(production, marker)
    in_flight = [
        o for o in outcomes if o.what == "meeting" and o.at < stopped and o.answered_at > stopped_at
    ]
    report(
        f"PostgreSQL stopped for {OUTAGE_SECONDS} s under load",
        {
            "requests": len(outcomes),
            "statuses": statuses(outcomes),
            "outage": f"{stopped_at:.1f} s to {back_at:.1f} s ({back_at - stopped_at:.1f} s)",
            "503 answers from / to": (
                f"{unavailable[0].at:.1f} s / {unavailable[-1].at:.1f} s" if unavailable else "-"
            ),
            "meeting logs answered 201 / 503 / saved": f"{len(wrote)} / {len(refused)} / "
            f"{len(saved)}",
            "gunicorn workers before / after": f"{sorted(workers)} / "
            f"{sorted(production.gunicorn_workers())}",
            "/health/ready/ during / after": f"{ready_during} / {production.readiness()}",
            "meeting logs in flight at the stop (answer)": [
                (o.label, o.status or o.error) for o in in_flight
            ],
            "saved though not answered 201": sorted(set(saved) - wrote),
            "answered 503 'saved, do not send again'": sorted(saved_unanswered),
        },
    )
    assert unavailable, "no request met the outage"
    assert {o.status for o in outcomes} <= {200, 201, 503}
    for answer in unavailable:
        assert answer.code in {"service_unavailable", "saved_unconfirmed"}
        # "Nothing was saved, try again" comes with Retry-After; "saved" does not.
        assert (int(answer.retry_after or 0) > 0) == (answer.code == "service_unavailable")
    # Nothing half-written: every meeting the test wrote is there whole, and each answered
    # 201 is there. One answered 503 is there exactly when its answer said it was saved
    # (committed, then the connection lost while the answer was read back: in flight).
    assert set(saved.values()) <= {(1, 2)}
    assert wrote <= set(saved)
    assert set(saved) - wrote == saved_unanswered
    assert saved_unanswered <= {o.label for o in in_flight}
    # Recovery without a restart: the same worker processes answer.
    assert production.gunicorn_workers() == workers
    assert all(o.status in (200, 201) for o in outcomes if o.at > back_at + 1)
    all_servers_running(production)


# --- Redis stopped --------------------------------------------------------------------------

REDIS_DOWN_SECONDS = 12


def close_now(production, cast: Cast) -> int:
    """Close the consultation over the API, its closing time moved to a minute ago first (the
    API refuses to close before the time providers were promised)."""
    production.sql(
        "UPDATE dialogue_consultation SET closes_at = now() - interval '1 minute' WHERE id = %s"
        " RETURNING id",
        cast.consultation,
    )
    officer = cast.officers[0]
    answer = officer.client.post(
        f"/api/v1/consultations/{cast.consultation}/close/", {}, acting_for=officer.organisation
    )
    return answer.status


def unrelayed(production) -> int:
    return production.sql("SELECT count(*) FROM commissioning_event WHERE relayed_at IS NULL")[0][0]


def pulse_emails(production, titles) -> Counter:
    """(recipient, meeting title) → messages received, for the meetings written."""
    counts = Counter()
    for message in production.mailbox.received():
        for title in titles:
            # "… meeting 4-1" is not "… meeting 4-10".
            if re.search(re.escape(title) + r"(?!\d)", message.subject):
                for recipient in message.to:
                    counts[(recipient, title)] += 1
    return counts


def consultation_follow_ups(production, consultation: int) -> dict:
    closed = production.sql(
        "SELECT id FROM commissioning_event WHERE verb = 'consultation.closed' AND subject_id = %s",
        str(consultation),
    )
    runs = production.sql(
        "SELECT handler, count(*) FROM workers_handlerrun WHERE event_id = ANY(%s)"
        " GROUP BY handler",
        [event for (event,) in closed],
    )
    pulses = production.sql(
        "SELECT p.person_id, count(*) FROM workers_trustpulse p"
        " JOIN django_content_type t ON t.id = p.occasion_type_id"
        " WHERE t.model = 'consultation' AND p.occasion_id = %s GROUP BY p.person_id",
        str(consultation),
    )
    reports = production.sql(
        "SELECT count(*) FROM workers_document WHERE kind = 'consultation_report'"
    )
    return {
        "closed events": len(closed),
        "handler runs": dict(runs),
        "pulses per person": sorted(count for _person, count in pulses),
        "reports": reports[0][0],
    }


def burst_while_redis_is_down(production, cast: Cast, marker: str):
    """4 clients write for 2 s, Redis stops, they write on for REDIS_DOWN_SECONDS; then the
    consultation is closed and Redis started again (empty: what was queued is lost)."""
    load = Load()
    for person in cast.providers:
        load.client(comment_step(load, person, cast.consultation, marker), WRITE_INTERVAL)
    for person in cast.officers:
        load.client(meeting_step(load, person, cast, marker), WRITE_INTERVAL)
    time.sleep(2)
    production.redis.stop()
    stopped_at = load.now()
    try:
        time.sleep(REDIS_DOWN_SECONDS / 2)
        ready_during = production.readiness()
        time.sleep(REDIS_DOWN_SECONDS / 2)
        outcomes = load.finish()
        close_status = close_now(production, cast)
    finally:
        production.redis.start()
    return outcomes, close_status, load.now() - stopped_at, ready_during


def test_redis_stopped_during_a_burst_of_writes_loses_nothing_and_follows_up_once(
    production, cast, report
):
    marker = tag()
    reports_before = consultation_follow_ups(production, cast.consultation)["reports"]
    outcomes, close_status, down, ready_during = burst_while_redis_is_down(production, cast, marker)
    back = time.monotonic()
    comments = {o.label for o in outcomes if o.what == "comment" and o.status == 201}
    meetings = {o.label for o in outcomes if o.what == "meeting" and o.status == 201}
    saved_comments = comments_saved(production, marker)
    saved_meetings = meetings_saved(production, marker)
    report(
        f"Redis stopped for {down:.1f} s during a burst of writes from 4 clients",
        {
            "requests": len(outcomes),
            "statuses": statuses(outcomes),
            "statuses by kind": {
                what: statuses([o for o in outcomes if o.what == what])
                for what in ("comment", "meeting")
            },
            "error codes": dict(Counter(o.code for o in outcomes if o.code)),
            "close of the consultation while Redis was down": close_status,
            "comments answered 201 / saved": f"{len(comments)} / {len(saved_comments)}",
            "meeting logs answered 201 / saved": f"{len(meetings)} / {len(saved_meetings)}",
            "events waiting when Redis came back": unrelayed(production),
            "/health/ready/ while Redis was down": ready_during,
        },
    )
    assert [o.status for o in outcomes if o.status != 201] == []
    assert close_status == 200
    assert saved_comments == comments
    assert set(saved_meetings) == meetings

    # Both sweeps by hand, as the README says after a broker outage (beat runs them on its
    # schedule besides): every meeting's pulses to the two providers present, once; a pulse
    # whose sending could not be handed to the broker is due, and the pulse sweep sends it.
    for sweep in ("relay_pending", "send_due_pulses"):
        swept = production.by_hand(sweep)
        assert swept.returncode == 0, swept.stderr
    providers = production.sql(
        "SELECT email FROM auth_user WHERE id = ANY(%s)", [p.id for p in cast.providers]
    )
    expected = {(email, title) for (email,) in providers for title in meetings}
    try:
        wait_until(
            lambda: (
                unrelayed(production) == 0 and set(pulse_emails(production, meetings)) >= expected
            ),
            timeout=150,
            what="every event relayed and every meeting's pulses sent",
        )
    except TimeoutError:
        missing = expected - set(pulse_emails(production, meetings))
        print(f"unrelayed: {unrelayed(production)}; pulse emails missing: {len(missing)}")
        all_servers_running(production)
        raise
    relayed_in = time.monotonic() - back
    # Both sweeps again: neither may send anything twice.
    again = [production.by_hand("relay_pending"), production.by_hand("send_due_pulses")]
    time.sleep(5)
    emails = pulse_emails(production, meetings)
    follow_ups = consultation_follow_ups(production, cast.consultation)
    report(
        "Follow-ups once Redis was back",
        {
            "seconds from Redis back to every event relayed and pulse sent": f"{relayed_in:.1f}",
            "pulse emails expected / received / most to one person per meeting": (
                f"{len(expected)} / {sum(emails.values())} / {max(emails.values())}"
            ),
            "consultation follow-ups": follow_ups,
            "emails received at the SMTP server in all": len(production.mailbox.received()),
            "servers started again by their supervisor": restarts(production),
        },
    )
    assert all(result.returncode == 0 for result in again)
    assert set(emails) == expected
    assert set(emails.values()) == {1}
    assert follow_ups["closed events"] == 1
    assert follow_ups["handler runs"] == {
        "workers.handlers.pulses_after_consultation": 1,
        "workers.handlers.order_report_after_close": 1,
        "notifications.occasions.consultations.tell_responses_published": 1,
    }
    assert follow_ups["pulses per person"]
    assert set(follow_ups["pulses per person"]) == {1}
    assert follow_ups["reports"] == reports_before + 1  # of every consultation
    all_servers_running(production)
