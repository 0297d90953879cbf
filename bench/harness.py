"""What the benchmarks share: the database (a throwaway PostgreSQL server unless DATABASE_URL
names one), Django's set-up, and one table of figures with the exit status it decides.

Each benchmark's measuring part returns a list of Row: a figure, what was measured, its floor
measured in the same run (what the same work costs without the code under test), the target
and whether it was met. `report` prints such rows as one table and returns the exit status,
0 only when every target is met; bench/run.py puts the rows of all benchmarks in one table.
"""

import argparse
import inspect
import logging
import os
import sys
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADER = ("figure", "measured", "floor (same run)", "target", "met")


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    floor: str = ""
    target: str = ""
    met: bool | None = None  # None: a figure shown for context, with no target of its own

    def cells(self) -> tuple[str, ...]:
        met = "" if self.met is None else ("yes" if self.met else "no")
        return (self.figure, self.measured, self.floor, self.target, met)


@contextmanager
def database() -> Iterator[str]:
    """The URL of the database to use. Without a postgres:// DATABASE_URL, a throwaway server
    (the one the tests use, tests/postgresql_server.py) with an empty `commissioning`
    database, stopped and removed on leaving, whatever happened inside."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        try:
            yield url
        finally:
            _close_connections()
        return
    from tests import postgresql_server

    url = postgresql_server.start()
    try:
        _create_database(url)
        yield url
    finally:
        _close_connections()
        postgresql_server.stop()


def _create_database(url: str) -> None:
    import psycopg

    host = url.split("host=", 1)[1]
    with psycopg.connect(dbname="postgres", user="postgres", host=host, autocommit=True) as conn:
        conn.execute("CREATE DATABASE commissioning")


def _close_connections() -> None:
    if "django.db" not in sys.modules:
        return
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def setup_django(url: str, *, quiet: Iterable[str] = (), **env: str | None) -> None:
    """Django on the database at `url`. Each keyword sets that environment variable before the
    settings are read (None removes it); the loggers named in `quiet` log warnings only."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    import django

    django.setup()
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def machine() -> str:
    """The server and the machine the figures were measured on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version}, {os.cpu_count()} CPUs"


def print_table(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    rows = [tuple(header), *(tuple(row) for row in rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print(f"\n{title}\n")
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def met(rows: Iterable[Row]) -> bool:
    return all(row.met is not False for row in rows)


def report(title: str, rows: list[Row]) -> int:
    """Print the rows as one table and the verdict; the exit status: 0 when every target is
    met."""
    print_table(title, HEADER, (row.cells() for row in rows))
    ok = met(rows)
    print(f"\nresult: {'meets every target' if ok else 'misses a target'}")
    return 0 if ok else 1


def add_options(parser: argparse.ArgumentParser, measure: Callable, prefix: str = "") -> None:
    """One option per keyword of `measure`, its default the keyword's: the defaults live in
    one place, whether the benchmark runs alone or in bench/run.py (there with a prefix).
    An Annotated[int, "help"] keyword brings its help text."""
    for name, parameter in inspect.signature(measure).parameters.items():
        annotation = parameter.annotation
        help_text = typing.get_args(annotation)[1] if typing.get_origin(annotation) else None
        parser.add_argument(
            "--" + f"{prefix}{name}".replace("_", "-"),
            dest=f"{prefix}{name}",
            type=type(parameter.default),
            default=parameter.default,
            help=help_text,
        )


def options_for(options: argparse.Namespace, measure: Callable, prefix: str = "") -> dict:
    """The keywords of `measure` from options parsed after add_options."""
    return {
        name: getattr(options, f"{prefix}{name}") for name in inspect.signature(measure).parameters
    }


def run_alone(
    doc: str,
    title: str,
    measure: Callable[..., list[Row]],
    *,
    quiet: Iterable[str] = (),
    **env: str | None,
) -> int:
    """One benchmark on its own: its options (from `measure`'s keywords), the database,
    Django, `measure`, its table; the exit status."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_options(parser, measure)
    options = parser.parse_args()
    with database() as url:
        setup_django(url, quiet=quiet, **env)
        rows = measure(**options_for(options, measure))
        return report(f"{title}, {machine()}", rows)


def providers_with_representatives(organisations: int, people: int, stamp: str) -> tuple:
    """`organisations` private providers (Swedish, Norwegian and British in turn), each with
    `people` provider representatives, bulk-created (no password hashing to measure):
    (providers, persons)."""
    from django.contrib.auth import get_user_model

    from commissioning.models import Membership, Organisation

    providers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench provider {n} {stamp}",
            kind=Organisation.Kind.PROVIDER,
            ownership=Organisation.Ownership.PRIVATE,
            country=["SE", "NO", "GB"][n % 3],
        )
        for n in range(organisations)
    )
    person = get_user_model()
    persons = person.objects.bulk_create(
        person(username=f"bench-{stamp}-{n}", email=f"bench-{stamp}-{n}@example.org")
        for n in range(organisations * people)
    )
    Membership.objects.bulk_create(
        Membership(
            person=p,
            organisation=providers[i // people],
            role=Membership.Role.PROVIDER_REPRESENTATIVE,
        )
        for i, p in enumerate(persons)
    )
    return providers, persons
