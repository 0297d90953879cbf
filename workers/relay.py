"""The Event relay (the outbox): each committed Event is handed to the handlers that follow
from its verb (a held meeting → trust pulses, a signed contract → the obligation schedule, …).

Guarantees:
- A handler runs at most once per (event, handler): its HandlerRun row is inserted in the
  same transaction as the handler's work, and the unique pair refuses a second one. A relay
  run twice, or a task delivered twice, does nothing twice, even at the same moment.
- Nothing is lost: an Event stays unrelayed (relayed_at empty) until every handler of its
  verb has run, and the periodic sweep (`relay_pending`, every minute) relays what the
  publishing at commit could not (the broker was down, a worker died, a handler failed).
- A failing handler does not stop the others: its work and its HandlerRun are rolled back
  together, the other handlers' runs are kept, and the sweep tries it again.

Handlers are plain functions `def handler(event: Event) -> None` registered with
`@handles("verb", ...)` in the `handlers` module of an app (workers/handlers.py);
`load_handlers()` imports those modules (WorkersConfig.ready calls it, so every process knows
every handler). The Celery tasks `relay_event` and `relay_pending` take ids or nothing, and
both are safe to run twice: the HandlerRun rows decide what has run.
"""

import logging
from collections.abc import Callable

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db import OperationalError as DatabaseError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

from commissioning.models import Event
from workers.models import HandlerRun
from workers.publishing import send

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]

# verb → the handlers that follow from it, in registration order.
HANDLERS: dict[str, list[Handler]] = {}

# HandlerRun.handler is 100 characters.
MAX_NAME_LENGTH = 100


def handler_name(handler: Handler) -> str:
    """The name a handler's runs are recorded under: stable across processes and restarts
    (renaming a handler function makes it a new handler, which runs again for old events
    only if they are still unrelayed)."""
    return f"{handler.__module__}.{handler.__qualname__}"


def handles(*verbs: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as a handler of Events with these verbs."""
    if not verbs:
        raise TypeError("handles() needs at least one verb")

    def register(handler: Handler) -> Handler:
        name = handler_name(handler)
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(f"handler name {name!r} is longer than {MAX_NAME_LENGTH} characters")
        for verb in verbs:
            registered = HANDLERS.setdefault(verb, [])
            # A module imported twice (reloads, tests) must not register a handler twice.
            if name not in {handler_name(h) for h in registered}:
                registered.append(handler)
        return handler

    return register


def load_handlers() -> None:
    """Import the `handlers` module of every installed app, where handlers are registered.
    An app without one has no handlers; an error inside one (a module it imports that does
    not exist, too) stops the process: better than Events marked relayed without their
    handlers."""
    autodiscover_modules("handlers")


def handlers_for(verb: str) -> list[Handler]:
    return list(HANDLERS.get(verb, ()))


def relay_event_now(event_id: int) -> dict:
    """Run every handler of one Event that has not run yet, each in its own transaction, and
    mark the Event relayed when all of them have run. Returns what happened, for the task's
    result and the logs.

    No lock is held across handlers: each handler's work is committed as soon as it is done
    (a worker dying later does not undo it, so it is not done again), and two relays of the
    same event at the same moment are kept apart by the HandlerRun insert itself: the second
    insert waits for the first transaction and then fails on the unique pair."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.relayed_at is not None:
        return {"event": event_id, "relayed": False, "ran": [], "failed": []}
    ran, failed = [], []
    for handler in handlers_for(event.verb):
        name = handler_name(handler)
        outcome = _run_once(event, handler, name)
        if outcome == "ran":
            ran.append(name)
        elif outcome == "failed":
            failed.append(name)
    if failed:
        return {"event": event_id, "relayed": False, "ran": ran, "failed": failed}
    Event.objects.filter(pk=event_id, relayed_at__isnull=True).update(relayed_at=timezone.now())
    return {"event": event_id, "relayed": True, "ran": ran, "failed": failed}


def _run_once(event: Event, handler: Handler, name: str) -> str:
    """'ran', 'skipped' (it ran before) or 'failed'."""
    try:
        with transaction.atomic():
            try:
                # Its own savepoint, so that only this insert's IntegrityError means "ran
                # before"; one raised by the handler's own work is a failure like any other.
                with transaction.atomic():
                    HandlerRun.objects.create(event=event, handler=name)
            except IntegrityError:
                return "skipped"
            handler(event)
    except Exception:
        # The one place that catches everything: a relay must isolate handlers from each
        # other (one failing handler must not keep another's pulse or email from going out).
        # The handler's work and its HandlerRun are rolled back together, the failure is
        # logged with its traceback, and the sweep runs the handler again.
        logger.exception("Handler %s failed for event %s (%s)", name, event.pk, event.verb)
        return "failed"
    return "ran"


def pending_events(limit: int) -> list[int]:
    """Ids of unrelayed Events, oldest first."""
    return list(
        Event.objects.filter(relayed_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def relay_pending_now(limit: int = 1000) -> dict:
    """The sweep: relay up to `limit` unrelayed Events, oldest first. An event whose relay
    task is running meanwhile is safe: whichever inserts a handler's run first runs it."""
    relayed = failed = 0
    for event_id in pending_events(limit):
        result = relay_event_now(event_id)
        relayed += result["relayed"]
        failed += bool(result["failed"])
    if relayed or failed:
        logger.info("Relay sweep: %s events relayed, %s with failed handlers", relayed, failed)
    return {"relayed": relayed, "failed": failed}


# --- the tasks --------------------------------------------------------------------------

# Trouble reaching the database or the broker passes; a handler's own failure does not pass
# by retrying at once, so it is left to the sweep (_run_once catches and logs it).
TRANSIENT = (DatabaseError, BrokerError, RedisConnectionError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="workers.relay_tasks.relay_event", acks_late=True, **RETRY)
def relay_event(event_id: int) -> dict:
    """Relay one Event: published when the Event is committed (workers.apps)."""
    return relay_event_now(event_id)


@shared_task(name="workers.relay_tasks.relay_pending", acks_late=True, **RETRY)
def relay_pending(limit: int = 1000) -> dict:
    """The sweep, every minute (setup_periodic_tasks): Events the publishing at commit missed
    (broker down, worker lost, a handler that failed) are relayed here."""
    return relay_pending_now(limit)


def publish(event_id: int) -> None:
    """Hand a committed Event to the relay. Called after the commit (transaction.on_commit),
    so the worker never reads an Event that is not there yet, and a broker that is down does
    not fail the request: the Event stays unrelayed and the sweep relays it later."""
    send(relay_event, event_id, otherwise="the sweep will relay it")
