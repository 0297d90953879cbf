"""The Event log's one write: every service records what it changed, by whom and for whom, in
its own transaction (Zulip's audit rows), through record_event."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from commissioning.models import (
    Event,
    Organisation,
)
from commissioning.request_log import current_request_id
from commissioning.saved import note_saved


def snapshot(instance, *, extra: dict | None = None) -> dict:
    """The stored values of a row, foreign keys as ids, for an Event's before/after."""
    values = {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields}
    values.update(extra or {})
    return values


def record_event(
    *,
    actor,
    acting_for: Organisation | None,
    verb: str,
    subject,
    before: dict | None = None,
    after: dict | None = None,
    purchaser: Organisation | None = None,
) -> Event:
    """Write the Event of a change. Must run inside the change's own transaction, so that the
    change and its Event are committed together or not at all."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    # A 503 for a database lost after this commit says the change was saved (saved.py).
    transaction.on_commit(note_saved, robust=True)
    return Event.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        acting_for=acting_for,
        purchaser=purchaser,
        verb=verb,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:200],
        before=before,
        after=after,
        request_id=current_request_id() or "",
    )
