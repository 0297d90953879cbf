"""The consultations' occasions: opened → the invited organisations' representatives and the
members of invited networks; closed → the outcomes of each commenter's and co-signer's own
comments; a network's comment → its members asked to co-sign. Each person once, in their
language, and never a comment the policy does not let them read."""

import datetime
import email
import email.policy
import os
import subprocess
import sys
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from commissioning import policies
from commissioning.models import Event, Membership, Participation, Profile
from dialogue.models import Comment, Consultation, Response
from dialogue.services.comments import submit_comment
from dialogue.services.consultations import close_consultation, open_consultation
from notifications.models import Notice
from tests.dialogue.consultation_factories import ConsultationFactory
from tests.dialogue.response_factories import CommentFactory as AnsweredCommentFactory
from tests.dialogue.response_factories import ConsultationFactory as OpenConsultationFactory
from tests.dialogue.response_factories import ResponseFactory, clause
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory
from tests.production.topology import free_port
from tests.workers.conftest import ROOT, broker, database_url, wait_for_worker  # noqa: F401
from workers import relay
from workers.relay import relay_event

Role = Membership.Role


def notices_emailed() -> list:
    """The notification emails sent (trust pulses and reminders go out beside them), less
    the receipts each submitter gets (test_comment_receipt.py)."""
    return [
        m
        for m in mail.outbox
        if "List-Unsubscribe-Post" in m.extra_headers
        and m.extra_headers.get("X-Notification-Kind") != "comment_receipt"
    ]


def address(message) -> str:
    return message.to[0].split("<")[1].rstrip(">")


def emails_by_person() -> dict[str, object]:
    found: dict[str, list] = {}
    for message in notices_emailed():
        found.setdefault(address(message).split("@")[0], []).append(message)
    assert all(len(messages) == 1 for messages in found.values()), found
    return {name: messages[0] for name, messages in found.items()}


def speak(world, name: str, language: str) -> None:
    Profile.objects.update_or_create(person=world.people[name], defaults={"language": language})


def relay_again(verb: str, capture) -> None:
    for event in Event.objects.filter(verb=verb):
        Event.objects.filter(pk=event.pk).update(relayed_at=None)
        with capture(execute=True):
            relay.relay_event_now(event.pk)


# --- opened -------------------------------------------------------------------------------


def test_opening_tells_every_invited_representative_and_network_member_once(
    world, django_capture_on_commit_callbacks
):
    world.programme_a.time_zone = "Europe/Oslo"
    world.programme_a.save()
    closes = datetime.datetime(2027, 3, 15, 16, 0, tzinfo=datetime.UTC)  # 17:00 in Oslo
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.SCHEDULED, closes_at=closes
    )
    # A person who speaks for both the network and its member is told once.
    MembershipFactory(
        person=world.people["network_rep"],
        organisation=world.network_member,
        role=Role.PROVIDER_REPRESENTATIVE,
    )
    speak(world, "network_member", "nb")
    speak(world, "provider_in_a", "sv")
    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(
            actor=world.people["manager_a"], acting_for=world.purchaser_a, consultation=consultation
        )

    emails = emails_by_person()
    # Invited: provider_in_a and the network; the network's member through it. Not the
    # purchaser's staff, the politician or the provider of another programme.
    assert sorted(emails) == ["network_member", "network_rep", "provider_in_a"]
    norwegian = emails["network_member"]
    assert norwegian.extra_headers["Content-Language"] == "nb"
    assert norwegian.subject == f"Høring åpen for innspill: {consultation.title}"
    assert "15. mars 2027, 17:00 (Europe/Oslo)" in norwegian.body
    assert f"http://testserver/consultations/{consultation.pk}/" in norwegian.body or (
        f"/consultations/{consultation.pk}/" in norwegian.body
    )
    swedish = emails["provider_in_a"]
    assert swedish.subject == f"Remiss öppen för synpunkter: {consultation.title}"
    assert "15 mars 2027 17:00 (Europe/Oslo)" in swedish.body
    html = swedish.alternatives[0][0]
    assert f"/consultations/{consultation.pk}/" in html
    assert '<html lang="sv">' in html
    assert emails["network_rep"].from_email.startswith(f'"{world.purchaser_a.name}"') or (
        emails["network_rep"].from_email.startswith(world.purchaser_a.name)
    )
    notices = Notice.objects.filter(kind="consultation_opened")
    assert notices.count() == 3
    assert {n.url for n in notices} == {f"/consultations/{consultation.pk}/"}
    network_rep = notices.get(person=world.people["network_rep"])
    assert network_rep.organisation == world.network  # told for the invitation itself

    relay_again("consultation.opened", django_capture_on_commit_callbacks)
    assert len(notices_emailed()) == 3
    assert Notice.objects.filter(kind="consultation_opened").count() == 3


def test_an_uninvited_participant_is_not_told_when_a_consultation_opens(
    world, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(
        programme=world.programme_a,
        status=Consultation.Status.SCHEDULED,
        invited=[world.provider_in_a],
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(
            actor=world.people["manager_a"], acting_for=world.purchaser_a, consultation=consultation
        )
    assert sorted(emails_by_person()) == ["provider_in_a"]


# --- responses published ------------------------------------------------------------------


def closing_scene(world):
    """An open consultation of programme A: provider_in_a's comment (not accepted), the
    network's comment co-signed by its member (partly accepted), and another provider's
    comment (accepted) which provider_in_a must not find in its email."""
    other = ProviderFactory(name="Other provider")
    Participation.objects.create(programme=world.programme_a, organisation=other)
    other_rep = MembershipFactory(
        person=PersonFactory(username="other_rep"),
        organisation=other,
        role=Role.PROVIDER_REPRESENTATIVE,
    ).person
    consultation = OpenConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network, other]
    )
    own = AnsweredCommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        author=world.people["provider_in_a"],
        clause=clause(consultation, "2"),
        text="Opening until 17:00 is too short for working parents.",
    )
    joint = AnsweredCommentFactory(
        consultation=consultation,
        organisation=world.network,
        author=world.people["network_rep"],
        clause=clause(consultation, "3"),
        text="Monthly reporting of waiting times is a heavy burden.",
        cosigners=[world.network_member],
    )
    joint.cosignatures.update(signed_by=world.people["network_member"])
    theirs = AnsweredCommentFactory(
        consultation=consultation,
        organisation=other,
        author=other_rep,
        text="Our confidential staffing figures show weekend gaps.",
    )
    officer = world.people["officer_a"]
    ResponseFactory(
        comment=own,
        outcome=Response.Outcome.NOT_ACCEPTED,
        reason="The hours follow the national agreement.",
        written_by=officer,
    )
    ResponseFactory(
        comment=joint,
        outcome=Response.Outcome.PARTLY_ACCEPTED,
        reason="Quarterly reporting from 2027.",
        written_by=officer,
    )
    ResponseFactory(comment=theirs, reason="We add weekend hours.", written_by=officer)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultation, other_rep


def close(world, consultation, capture) -> None:
    with capture(execute=True):
        close_consultation(
            actor=world.people["manager_a"], acting_for=world.purchaser_a, consultation=consultation
        )


def test_at_the_close_each_commenter_and_cosigner_reads_the_outcomes_of_their_own_comments(
    world, django_capture_on_commit_callbacks
):
    consultation, _other_rep = closing_scene(world)
    speak(world, "provider_in_a", "sv")
    speak(world, "network_member", "nb")
    close(world, consultation, django_capture_on_commit_callbacks)

    emails = emails_by_person()
    # The commenters, the co-signer and their organisations' people; not the responder.
    assert sorted(emails) == ["network_member", "network_rep", "other_rep", "provider_in_a"]
    swedish = emails["provider_in_a"]
    assert swedish.subject == f"Svar publicerade: {consultation.title}"
    assert "Opening until 17:00 is too short" in swedish.body
    assert "Inte godtagen: The hours follow the national agreement." in swedish.body
    assert "not_accepted" not in swedish.body
    assert "not_accepted" not in swedish.alternatives[0][0]
    # Nothing of the others' comments or of their responses.
    for foreign in ("Monthly reporting", "confidential staffing", "weekend hours", "Quarterly"):
        assert foreign not in swedish.body
        assert foreign not in swedish.alternatives[0][0]
    assert f"/consultations/{consultation.pk}/" in swedish.body

    # The member reads the joint comment it co-signed, with its outcome in Norwegian.
    norwegian = emails["network_member"]
    assert "Monthly reporting of waiting times" in norwegian.body
    assert "Delvis tatt til følge: Quarterly reporting from 2027." in norwegian.body
    assert "Opening until 17:00" not in norwegian.body
    assert "confidential staffing" not in norwegian.body
    assert "partly_accepted" not in norwegian.body

    relay_again("consultation.closed", django_capture_on_commit_callbacks)
    assert len(notices_emailed()) == 4


def test_no_email_shows_a_comment_its_reader_may_not_read(
    world, django_capture_on_commit_callbacks
):
    consultation, _other_rep = closing_scene(world)
    close(world, consultation, django_capture_on_commit_callbacks)
    comments = list(Comment.objects.filter(consultation=consultation).prefetch_related("revisions"))
    assert notices_emailed()
    for message in notices_emailed():
        person = Notice.objects.get(
            kind="responses_published", person__email=address(message)
        ).person
        readable = set(policies.visible_comments(person, consultation).values_list("pk", flat=True))
        for comment in comments:
            if comment.revisions.last().body[:30] in message.body:
                assert comment.pk in readable, (person.username, comment.pk)


def test_someone_who_left_the_organisation_they_commented_for_is_not_told(
    world, django_capture_on_commit_callbacks
):
    consultation, other_rep = closing_scene(world)
    Membership.objects.filter(person=other_rep).delete()
    close(world, consultation, django_capture_on_commit_callbacks)
    assert "other_rep" not in emails_by_person()
    assert not Notice.objects.filter(person=other_rep).exists()


def test_a_withdrawn_comment_brings_no_responses_email(world, django_capture_on_commit_callbacks):
    consultation, other_rep = closing_scene(world)
    Comment.objects.filter(consultation=consultation, organisation__name="Other provider").update(
        status=Comment.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    close(world, consultation, django_capture_on_commit_callbacks)
    assert "other_rep" not in emails_by_person()
    assert not Notice.objects.filter(person=other_rep).exists()


# --- co-signature requested ---------------------------------------------------------------


def test_a_networks_comment_asks_its_members_to_cosign(world, django_capture_on_commit_callbacks):
    consultation = OpenConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network]
    )
    speak(world, "network_member", "sv")
    with django_capture_on_commit_callbacks(execute=True):
        comment = submit_comment(
            actor=world.people["network_rep"],
            acting_for=world.network,
            consultation=consultation,
            kind=Comment.Kind.OBJECTION,
            body="Report waiting times quarterly instead of monthly.",
            clause=clause(consultation, "3"),
        )
    emails = emails_by_person()
    # The member's representative; not the author, nor a provider outside the network.
    assert sorted(emails) == ["network_member"]
    message = emails["network_member"]
    assert message.subject == (
        f"{world.network.name} ber er att medunderteckna en synpunkt på {consultation.title}"
    )
    assert "Report waiting times quarterly" in message.body
    assert f"/consultations/{consultation.pk}/comments/{comment.pk}/" in message.body
    notice = Notice.objects.get(kind="cosignature_requested")
    assert notice.key == f"cosignature-requested:{comment.pk}:{world.people['network_member'].pk}"
    # The member may read the comment it is asked to co-sign.
    assert policies.visible_comments(world.people["network_member"], consultation).filter(
        pk=comment.pk
    )

    relay_again("comment.submitted", django_capture_on_commit_callbacks)
    assert len(notices_emailed()) == 1


def test_a_providers_own_comment_asks_nobody_to_cosign(world, django_capture_on_commit_callbacks):
    consultation = OpenConsultationFactory(
        programme=world.programme_a, invited=[world.provider_in_a, world.network]
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_comment(
            actor=world.people["provider_in_a"],
            acting_for=world.provider_in_a,
            consultation=consultation,
            kind=Comment.Kind.QUESTION,
            body="Does this apply to weekends?",
        )
    assert notices_emailed() == []
    # Only the author's own receipt (test_comment_receipt_withdraw_history.py).
    assert list(Notice.objects.values_list("kind", flat=True)) == ["comment_receipt"]


# --- through a real worker, to a real SMTP server -------------------------------------------


class Inbox:
    """An SMTP server (aiosmtpd) keeping each message it receives, parsed."""

    def __init__(self):
        self.messages: list = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((tuple(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def received(self) -> list:
        with self._lock:
            return list(self.messages)


@pytest.fixture
def smtp_worker(broker, transactional_db, tmp_path):  # noqa: F811 (the fixture imported)
    """A Celery worker process on the test's Redis and database, sending to an SMTP server
    of the test's own."""
    inbox = Inbox()
    inbox.controller.start()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(inbox.controller.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config.celery", "worker"),
                *("--queues", "default,followups", "--concurrency", "1", "--pool", "prefork"),
                *("--without-gossip", "--without-mingle", "--loglevel", "INFO"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_worker(process)
        yield inbox
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        inbox.controller.stop()


def wait_for(condition, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_invited_person_one_email_through_smtp(world, smtp_worker):
    speak(world, "provider_in_a", "sv")
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.SCHEDULED
    )
    open_consultation(
        actor=world.people["manager_a"], acting_for=world.purchaser_a, consultation=consultation
    )
    wait_for(lambda: len(smtp_worker.received()) >= 3)
    # The relay again, every delivery task again and the sweep: nothing more arrives.
    event = Event.objects.get(verb="consultation.opened")
    Event.objects.filter(pk=event.pk).update(relayed_at=None)
    relay_event.delay(event.pk)
    from notifications.services.delivery import deliver, deliver_pending

    deliver.delay(list(Notice.objects.values_list("pk", flat=True)))
    deliver_pending.delay()
    wait_for(lambda: Event.objects.filter(pk=event.pk, relayed_at__isnull=False).exists())
    time.sleep(3)

    received = smtp_worker.received()
    addresses = sorted(to[0] for to, _message in received)
    assert addresses == [
        "network_member@example.org",
        "network_rep@example.org",
        "provider_in_a@example.org",
    ]
    swedish = next(m for to, m in received if to[0] == "provider_in_a@example.org")
    assert swedish["Content-Language"] == "sv"
    # (A folded encoded header parses with the fold's space in front.)
    assert swedish["Subject"].strip() == f"Remiss öppen för synpunkter: {consultation.title}"
    assert swedish["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in swedish["List-Unsubscribe"]
    assert world.purchaser_a.name in swedish["From"]
    text = swedish.get_body(("plain",)).get_content()
    html = swedish.get_body(("html",)).get_content()
    assert f"/consultations/{consultation.pk}/" in text
    assert '<html lang="sv">' in html
