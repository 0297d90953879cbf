"""The Event relay in-process: each handler runs once per event whatever the number of
relays, a failing handler holds back only its event, the sweep finds what was missed, and
publishing at commit never fails the write that made the event."""

import logging

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from commissioning.models import Event
from commissioning.services.programmes import create_programme
from tests.workers.relay_factories import EventFactory
from workers import relay
from workers.models import HandlerRun, Notification

pytestmark = pytest.mark.django_db

calls: list[tuple[str, int]] = []
broken: set[str] = set()


def _work(label: str, event: Event) -> None:
    calls.append((label, event.pk))
    # Work in the database, so that a failure can be seen to roll it back.
    Notification.objects.create(
        key=f"test:{label}:{event.pk}", kind="test", email="x@example.org", language="en"
    )
    if label in broken:
        raise RuntimeError(f"{label} is broken")


def first(event):
    _work("first", event)


def second(event):
    _work("second", event)


def third(event):
    _work("third", event)


def duplicate(event):
    Notification.objects.create(key="taken", kind="test", email="x@example.org")


@pytest.fixture
def handles(monkeypatch):
    """relay.handles on an empty registry of the test's own."""
    monkeypatch.setattr(relay, "HANDLERS", {})
    calls.clear()
    broken.clear()
    return relay.handles


def runs(event) -> set[str]:
    return {
        name.rsplit(".", 1)[-1] for name in event.handler_runs.values_list("handler", flat=True)
    }


def test_relaying_an_event_twice_runs_each_handler_once(handles):
    handles("programme.updated")(first)
    handles("programme.updated", "programme.created")(second)
    event = EventFactory(verb="programme.updated")

    assert relay.relay_event_now(event.pk)["relayed"] is True
    assert relay.relay_event_now(event.pk)["relayed"] is False

    assert sorted(calls) == [("first", event.pk), ("second", event.pk)]
    assert HandlerRun.objects.filter(event=event).count() == 2
    event.refresh_from_db()
    assert event.relayed_at is not None


def test_a_relay_task_delivered_twice_does_nothing_twice(handles):
    """The second delivery of a task whose first delivery ran the handlers but was lost
    before marking the event relayed (the worker died): the HandlerRun rows decide."""
    handles("programme.updated")(first)
    handles("programme.updated")(second)
    event = EventFactory(verb="programme.updated")

    relay.relay_event.apply(args=[event.pk]).get()
    Event.objects.filter(pk=event.pk).update(relayed_at=None)
    result = relay.relay_event.apply(args=[event.pk]).get()

    assert result == {"event": event.pk, "relayed": True, "ran": [], "failed": []}
    assert len(calls) == 2
    assert Notification.objects.filter(kind="test").count() == 2


def test_a_failing_handler_leaves_the_event_unrelayed_and_keeps_the_others_runs(handles):
    for handler in (first, second, third):
        handles("programme.updated")(handler)
    broken.add("second")
    event = EventFactory(verb="programme.updated")

    result = relay.relay_event_now(event.pk)

    assert result["relayed"] is False
    assert [name.rsplit(".", 1)[-1] for name in result["failed"]] == ["second"]
    event.refresh_from_db()
    assert event.relayed_at is None
    assert runs(event) == {"first", "third"}
    # The failed handler's own work went with its HandlerRun.
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"test:first:{event.pk}",
        f"test:third:{event.pk}",
    }


def test_a_failed_handler_runs_again_alone_when_it_works(handles):
    for handler in (first, second, third):
        handles("programme.updated")(handler)
    broken.add("second")
    event = EventFactory(verb="programme.updated")
    relay.relay_event_now(event.pk)
    broken.clear()
    calls.clear()

    assert relay.relay_event_now(event.pk)["relayed"] is True

    assert calls == [("second", event.pk)]
    assert runs(event) == {"first", "second", "third"}


def test_a_handler_failing_with_an_integrity_error_of_its_own_is_a_failure(handles):
    """Only the HandlerRun insert's IntegrityError means "ran before"; a handler that hits
    a unique constraint in its own work has not done it."""
    Notification.objects.create(key="taken", kind="test", email="x@example.org")
    handles("programme.updated")(duplicate)
    event = EventFactory(verb="programme.updated")

    assert relay.relay_event_now(event.pk)["relayed"] is False
    assert not HandlerRun.objects.filter(event=event).exists()


def test_an_event_without_handlers_is_marked_relayed(handles):
    handles("programme.created")(first)
    event = EventFactory(verb="programme.updated")

    assert relay.relay_event_now(event.pk)["relayed"] is True
    assert calls == []


def test_the_sweep_relays_unrelayed_events_oldest_first(handles):
    handles("programme.updated")(first)
    older, newer = EventFactory(verb="programme.updated"), EventFactory(verb="programme.updated")
    done = EventFactory(verb="programme.updated")
    relay.relay_event_now(done.pk)
    calls.clear()

    assert relay.relay_pending.apply().get() == {"relayed": 2, "failed": 0}

    assert calls == [("first", older.pk), ("first", newer.pk)]
    assert not Event.objects.filter(relayed_at__isnull=True).exists()


def test_the_sweep_relays_at_most_its_limit(handles):
    handles("programme.updated")(first)
    events = [EventFactory(verb="programme.updated") for _ in range(3)]

    assert relay.relay_pending_now(limit=2) == {"relayed": 2, "failed": 0}

    assert calls == [("first", events[0].pk), ("first", events[1].pk)]
    assert Event.objects.get(relayed_at__isnull=True) == events[2]


def test_the_sweep_counts_events_held_back_by_a_failing_handler(handles):
    handles("programme.updated")(first)
    handles("programme.updated")(second)
    broken.add("first")
    EventFactory(verb="programme.updated")

    assert relay.relay_pending_now() == {"relayed": 0, "failed": 1}
    assert Event.objects.filter(relayed_at__isnull=True).count() == 1


def test_a_committed_event_is_relayed_in_process_without_a_broker(
    handles, world, django_capture_on_commit_callbacks
):
    handles("programme.created")(first)
    with django_capture_on_commit_callbacks(execute=True):
        programme = create_programme(
            actor=world.people["officer_a"], acting_for=world.purchaser_a, name="Ny", language="sv"
        )

    event = Event.objects.get(verb="programme.created", subject_id=str(programme.pk))
    assert event.relayed_at is not None
    assert calls == [("first", event.pk)]


def test_an_event_rolled_back_with_its_change_is_never_published(
    handles, world, django_capture_on_commit_callbacks
):
    handles("programme.created")(first)

    def change_that_fails_after_its_event():
        with transaction.atomic():
            create_programme(
                actor=world.people["officer_a"],
                acting_for=world.purchaser_a,
                name="Given up",
                language="sv",
            )
            raise RuntimeError("the change fails after its event")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_that_fails_after_its_event()

    assert callbacks == []
    assert calls == []


def test_a_broker_down_at_commit_leaves_the_event_for_the_sweep(
    handles, world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    handles("programme.created")(first)

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(relay.relay_event, "apply_async", broker_down)
    with (
        caplog.at_level(logging.WARNING, logger="workers.relay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        programme = create_programme(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            name="Ny",
            language="sv",
        )

    event = Event.objects.get(verb="programme.created", subject_id=str(programme.pk))
    assert event.relayed_at is None
    assert calls == []
    assert "the sweep will relay it" in caplog.text
    monkeypatch.undo()
    monkeypatch.setattr(relay, "HANDLERS", {"programme.created": [first]})

    relay.relay_pending.apply().get()

    event.refresh_from_db()
    assert event.relayed_at is not None
    assert calls == [("first", event.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_handler_failing_in_process_does_not_fail_the_request(handles, client_for, world):
    """With no broker the relay runs in the request, after the commit: a broken handler is
    logged and the request still answers 201; the event waits for the sweep."""
    handles("programme.created")(first)
    broken.add("first")

    response = client_for("officer_a").post(
        "/api/v1/programmes/",
        {"name": "Ny vårdval", "language": "sv", "framework": "se_care_choice"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )

    assert response.status_code == 201, response.content
    event = Event.objects.get(verb="programme.created", subject_id=str(response.json()["id"]))
    assert event.relayed_at is None
    assert calls == [("first", event.pk)]
    assert not HandlerRun.objects.filter(event=event).exists()


def test_a_handler_is_registered_once_however_often_its_module_is_imported(handles):
    handles("programme.updated")(first)
    handles("programme.updated")(first)

    assert relay.handlers_for("programme.updated") == [first]


def test_a_handler_whose_name_does_not_fit_its_run_record_is_refused(handles):
    def a_handler_with_a_name_long_enough_to_overflow_the_hundred_characters_of_handler_run(
        event,
    ):
        pass

    with pytest.raises(ValueError, match="longer than 100 characters"):
        handles("programme.updated")(
            a_handler_with_a_name_long_enough_to_overflow_the_hundred_characters_of_handler_run
        )
    assert relay.handlers_for("programme.updated") == []


def test_the_relay_finds_the_handlers_module_of_every_app():
    """load_handlers imports each installed app's `handlers` module (Django's
    autodiscover_modules): no list of modules to keep, and none left out."""
    relay.load_handlers()
    from workers import handlers

    assert handlers.send_obligation_schedule in relay.handlers_for("contract.signed")
    assert handlers.order_report_after_close in relay.handlers_for("consultation.closed")
    assert handlers.pulses_after_meeting in relay.handlers_for("meeting.held")
