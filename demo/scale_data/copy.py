"""Rows into PostgreSQL through COPY (psycopg 3), with ids the generator chooses itself.

The generator knows every row's id before it writes it (children name their parents by id),
so each table gets a block of ids after its current highest one, and its identity sequence
is moved past the block afterwards. Columns a row does not give are filled once per table:
the fixed `NOW` for auto_now(_add) columns, the field's default, or NULL where allowed;
anything else is a mistake of the generator and stops it.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.management.color import no_style
from django.db import connection, models

# Not the wall clock: the same seed gives the same rows, whenever it runs.
NOW = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)

_written: ContextVar[list | None] = ContextVar("scale_data_written", default=None)


@contextmanager
def recording_writes() -> Iterator[list[type[models.Model]]]:
    """The models whose tables copy_rows writes inside the block, in the order first written:
    every table, also those a section writes in passing, without a list kept by hand."""
    written: list[type[models.Model]] = []
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)


class Ids:
    """The ids of one table handed out in order, starting after the table's highest one."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
            self.next = cursor.fetchone()[0] + 1

    def take(self, count: int = 1) -> range:
        block = range(self.next, self.next + count)
        self.next += count
        return block

    def one(self) -> int:
        return self.take(1)[0]


def _fill_value(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return NOW
    if field.has_default():
        if callable(field.default):
            raise ValueError(f"{field} has a callable default: give it in the rows")
        return field.default
    if field.null:
        return None
    raise ValueError(f"{field} is required: give it in the rows")


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` (tuples in the order of `columns`, attnames such as "programme_id") into
    the model's table; the other columns are filled as the module says. The row count."""
    written = _written.get()
    if written is not None and model not in written:
        written.append(model)
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    given_columns = {field.column for field in given}
    others = [f for f in meta.concrete_fields if f.column not in given_columns]
    fill = tuple(_fill_value(field) for field in others)
    names = ", ".join(f'"{f.column}"' for f in [*given, *others])
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{meta.db_table}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row + fill)
            count += 1
    return count


def reset_sequences(models_written: Iterable[type[models.Model]]) -> None:
    """Move the identity sequence of each table written past the highest id in it, so that
    the next row created through the ORM gets a new id. (The planner's statistics are
    refreshed by VACUUM (ANALYZE) once the transaction is committed: scale_data.vacuum.)"""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_written)):
            cursor.execute(statement)
