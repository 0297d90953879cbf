"""A worker killed with SIGKILL half-way through a chunk of trust-pulse invitations: the
message it never acknowledged goes to a new worker, which sends the rest. Each pulse ends
with exactly one recorded send (its Notification) and its link in the inbox.

Email is not transactional: the one invitation whose email was out but whose Notification
was not yet committed at the kill is sent again (its first link never worked: the token's
hash was not committed either). The test counts that one exactly, so any other duplicate
fails. The same for PDFs: tests/workers/test_documents_worker.py."""

import re
import time
from collections import Counter

import pytest

from tests.dialogue.meeting_factories import HeldMeetingFactory
from tests.factories import PersonFactory
from tests.workers.pulse_factories import TrustPulseFactory
from tests.workers.test_documents_worker import kill_worker, start_worker, stop_worker
from workers import pulses
from workers.models import Notification, TrustPulse

pytestmark = pytest.mark.django_db(transaction=True)

PULSES = 200  # one chunk (workers.pulses.SEND_CHUNK)


def recipients(worker) -> Counter:
    """How many invitations each address got, from the worker's email files."""
    return Counter(
        address
        for text in worker.emails()
        for address in re.findall(r"^To: (?:.*<)?([^<>\s]+?)>?$", text, flags=re.MULTILINE)
    )


def sent_keys() -> set[str]:
    return set(Notification.objects.filter(kind="trust_pulse").values_list("key", flat=True))


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def pulses_to_send(db):
    meeting = HeldMeetingFactory(title="Provider council, November")
    return [
        TrustPulseFactory(
            person=PersonFactory(username=f"council-member-{n}"),
            meeting=meeting,
            purchaser=meeting.purchaser,
        )
        for n in range(PULSES)
    ]


def test_a_worker_killed_mid_chunk_leaves_each_pulse_sent_once(
    celery_worker,
    pulses_to_send,
):
    pulses.send_pulses.delay([pulse.pk for pulse in pulses_to_send])
    wait_for(lambda: len(sent_keys()) >= 10, timeout=60, message="the sending to start")
    kill_worker(celery_worker.process)
    sent_before = sent_keys()
    emailed_before = recipients(celery_worker)
    assert len(sent_before) < PULSES, "the chunk finished before the kill; make it longer"
    # At most the invitation in flight was emailed without its Notification.
    in_flight = sum(emailed_before.values()) - len(sent_before)
    assert in_flight in (0, 1)

    second = start_worker(celery_worker, "second-worker.log")
    try:
        wait_for(lambda: len(sent_keys()) == PULSES, timeout=120, message="the rest to be sent")
    finally:
        stop_worker(second)

    assert sent_keys() == {f"pulse:{pulse.pk}" for pulse in pulses_to_send}
    emailed = recipients(celery_worker)
    assert set(emailed) == {pulse.person.email for pulse in pulses_to_send}
    assert sum(emailed.values()) == PULSES + in_flight
    assert max(emailed.values()) == 1 + in_flight
    # The new worker sent only what the killed one had not.
    assert not TrustPulse.objects.filter(expires_at__isnull=True).exists()
