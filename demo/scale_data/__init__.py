"""Generated data at scale for the benchmarks and the scale tests.

`generate(scale=N, seed=S)` writes, in one transaction and through COPY, what years of
commissioning leave behind; at N = 1: 21 purchasers (each with a political body, a manager,
an officer and a politician), 3,000 providers and 30 networks (each with a representative),
300 programmes with participants and milestones, 8,000 contracts with parties, versions,
obligations and milestones, 600 rulebook versions x 120 clauses, a consultation on each
version with 250,000 comments (revisions, responses), 63 arenas with 60,000 meetings and
500,000 agenda items, attendance, minutes, action items, concerns, and 200,000 answered trust
pulses. Every figure is multiplied by N (at least 1 of each). The same seed gives the same
rows (dates are fixed around `copy.NOW`, not the wall clock).

The rows satisfy the models' constraints and the domain's rules as the services would have
left them (roles that fit the organisation kinds, one adopted rulebook version, spans inside
their clause's text, attendance only for held meetings, pulses only for people present), so
the API serves them as any other data. What it does not write: Events. The audit trail and
the outbox of the relay record changes as they happen; generated history did not happen,
and relaying it would send years of emails.

Generated rows are marked (usernames "scale-...", official ids "SCALE-..."): `generated`
finds them and `delete_generated` removes them with what hangs on them.
"""

import time
from collections.abc import Callable

from django.db import connection, transaction

from demo.scale_data import consultations, contracts, meetings, organisations, pulses
from demo.scale_data.clear import delete_generated, generated
from demo.scale_data.copy import recording_writes, reset_sequences
from demo.scale_data.plan import Built, sizes

__all__ = ["delete_generated", "generate", "generated", "vacuum"]

SECTIONS = [organisations.build, contracts.build, meetings.build, consultations.build, pulses.build]


def generate(
    *, scale: float, seed: int = 1, say: Callable[[str], None] = lambda line: None
) -> Built:
    """Write the data of `scale`; `say` hears about each section as it is done."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The scale data is written with PostgreSQL's COPY.")
    built = Built(seed=seed, sizes=sizes(scale))
    started = time.perf_counter()
    with transaction.atomic(), recording_writes() as written:
        for section in SECTIONS:
            section(built)
            say(f"{section.__module__.rsplit('.', 1)[1]}: {time.perf_counter() - started:.1f} s")
        reset_sequences(written)
    built.written = written
    return built


def vacuum(built: Built) -> None:
    """VACUUM (ANALYZE) the tables written, outside any transaction (it cannot run in one):
    what autovacuum does a while after a big load, done at once, so that index-only scans
    see all-visible pages and the figures measured next are those of a settled database."""
    with connection.cursor() as cursor:
        for model in built.written:
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
