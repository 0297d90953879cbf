"""Redis down during a comment surge, with a real Celery worker on a real Redis: every
comment is accepted while the broker is gone, their Events wait unrelayed, and once Redis is
back the sweep delivers the follow-ups (the closed consultation's trust pulses to everyone
who commented and its report) once each: none lost, none twice.

Comments themselves have no handler; what follows from them is the close of their
consultation, whose handlers ask every commenter for a trust pulse and order the "you said,
we did" report. Slow (a worker starts in about 7 seconds)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.models import Event, Membership, Participation
from dialogue.models import Comment, Consultation
from dialogue.services import consultations
from tests.dialogue.consultation_factories import ConsultationFactory
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory
from tests.workers.test_relay_with_worker import queues_drained, wait_until
from workers import relay
from workers.models import Document, HandlerRun, TrustPulse

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS_PER_WRITER = 10
CLOSE_HANDLERS = {
    "workers.handlers.pulses_after_consultation",
    "workers.handlers.order_report_after_close",
    "notifications.occasions.consultations.tell_responses_published",
}


@pytest.fixture
def writers(world):
    """Four people of four invited organisations, each writing from a thread of its own."""
    extra = ProviderFactory(name="Provider joining A")
    Participation.objects.create(programme=world.programme_a, organisation=extra)
    representative = MembershipFactory(
        person=PersonFactory(username="extra_rep"),
        organisation=extra,
        role=Membership.Role.PROVIDER_REPRESENTATIVE,
    ).person
    return [
        (world.people["provider_in_a"], world.provider_in_a),
        (world.people["network_rep"], world.network),
        (world.people["network_member"], world.network_member),
        (representative, extra),
    ]


def post_comments(person, organisation, consultation, statuses):
    client = APIClient()
    client.force_authenticate(person)
    try:
        for n in range(COMMENTS_PER_WRITER):
            response = client.post(
                f"/api/v1/consultations/{consultation.pk}/comments/",
                {"kind": "objection", "body": f"Comment {n}: monthly reporting is too often."},
                format="json",
                HTTP_X_ACTING_FOR=str(organisation.id),
            )
            statuses.append(response.status_code)
    finally:
        connection.close()  # each thread has its own connection


def surge(writers, consultation) -> list[int]:
    statuses: list[int] = []
    threads = [
        threading.Thread(target=post_comments, args=(person, organisation, consultation, statuses))
        for person, organisation in writers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def close(world, consultation) -> Event:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultations.close_consultation(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        consultation=Consultation.objects.get(pk=consultation.pk),
    )
    return Event.objects.get(verb="consultation.closed", subject_id=str(consultation.pk))


def sweep_until_everything_is_relayed():
    relay.relay_pending.delay()
    wait_until(
        lambda: not Event.objects.filter(relayed_at__isnull=True).exists() and queues_drained(),
        timeout=120,
        message="the sweep to relay every event and the worker to finish",
    )


def follow_ups(consultation, closed):
    runs = sorted(HandlerRun.objects.filter(event=closed).values_list("handler", flat=True))
    pulses = sorted(
        TrustPulse.objects.filter(occasion_id=str(consultation.pk)).values_list(
            "person_id", flat=True
        )
    )
    reports = Document.objects.filter(kind=Document.Kind.CONSULTATION_REPORT).count()
    return runs, pulses, reports


def test_comments_accepted_while_redis_is_down_are_followed_up_once_when_it_is_back(
    celery_worker,
    redis_proc,
    world,
    writers,
):
    consultation = ConsultationFactory(
        programme=world.programme_a, created_by=world.people["officer_a"]
    )
    redis_proc.stop()
    try:
        statuses = surge(writers, consultation)
        closed = close(world, consultation)
        # Everything was committed and answered although nothing could be published.
        assert statuses == [201] * (COMMENTS_PER_WRITER * len(writers))
        assert Comment.objects.filter(consultation=consultation).count() == len(statuses)
        submitted = Event.objects.filter(verb="comment.submitted")
        assert submitted.count() == len(statuses)
        assert not submitted.filter(relayed_at__isnull=False).exists()
        assert closed.relayed_at is None
        assert not HandlerRun.objects.exists()
        assert not TrustPulse.objects.exists()
    finally:
        redis_proc.start()

    sweep_until_everything_is_relayed()

    runs, pulses, reports = follow_ups(consultation, closed)
    assert set(runs) == CLOSE_HANDLERS
    assert len(runs) == len(CLOSE_HANDLERS)
    assert pulses == sorted(person.pk for person, _organisation in writers)
    assert reports == 1

    # As if the sweep had died after the handlers ran but before marking the event: it is
    # relayed again, and nothing is done twice.
    Event.objects.filter(pk=closed.pk).update(relayed_at=None)
    sweep_until_everything_is_relayed()
    assert follow_ups(consultation, closed) == (runs, pulses, reports)
