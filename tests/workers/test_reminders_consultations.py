"""A consultation closing within 3 days reminds invited organisations that have not commented;
comments still without a response 10 working days after the close remind the officers."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from dialogue.models import Comment, Consultation
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory
from tests.workers.reminder_factories import (
    CommentFactory,
    ConsultationFactory,
    ResponseFactory,
    emails_to,
    html_of,
)
from workers.reminders.silences import (
    add_working_days,
    send_consultation_closing_reminders,
    send_unanswered_comment_reminders,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def closing_in(world, days: float, invited, **kwargs):
    return ConsultationFactory(
        programme=world.programme_a,
        title="Remiss: regelbok för vårdval 2027",
        closes_at=timezone.now() + datetime.timedelta(days=days),
        invited=invited,
        **kwargs,
    )


# --- closing soon ------------------------------------------------------------------------


def test_a_consultation_closing_in_3_days_reminds_invited_organisations_without_a_comment(
    world,
):
    consultation = closing_in(world, 2.5, [world.provider_in_a, world.network])
    CommentFactory(consultation=consultation, organisation=world.network)

    assert send_consultation_closing_reminders(today=timezone.localdate()) == 1

    (message,) = mail.outbox
    assert emails_to(world.people["provider_in_a"]) == [message]
    assert "Remiss: regelbok för vårdval 2027" in message.subject
    assert "Provider in A" in message.body
    # The provider lands on the consultation page, where they read the clauses and comment.
    assert f"http://localhost:8000/consultations/{consultation.id}/" in html_of(message)
    assert message.extra_headers["Content-Language"] == "sv"


def test_an_invited_network_is_reminded_through_its_representatives_not_its_members(world):
    closing_in(world, 1, [world.network])

    send_consultation_closing_reminders(today=timezone.localdate())

    assert len(emails_to(world.people["network_rep"])) == 1
    assert emails_to(world.people["network_member"]) == []


def test_an_organisation_that_cosigned_a_comment_is_not_reminded(world):
    consultation = closing_in(world, 1, [world.network, world.network_member])
    CommentFactory(
        consultation=consultation, organisation=world.network, cosigners=[world.network_member]
    )

    assert send_consultation_closing_reminders(today=timezone.localdate()) == 0


def test_an_organisation_whose_only_comment_was_withdrawn_is_reminded(world):
    consultation = closing_in(world, 1, [world.provider_in_a])
    CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        status=Comment.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
    )

    assert send_consultation_closing_reminders(today=timezone.localdate()) == 1


def test_organisations_not_invited_are_not_reminded(world):
    closing_in(world, 1, [world.provider_in_a])

    send_consultation_closing_reminders(today=timezone.localdate())

    assert emails_to(world.people["provider_outside"]) == []
    assert emails_to(world.people["network_rep"]) == []


@pytest.mark.parametrize("days", [4, 7])
def test_a_consultation_closing_later_than_3_days_ahead_is_not_reminded(world, days):
    # Counted in calendar days: "in 3 days" is on or before the date 3 days from today.
    day = timezone.localdate() + datetime.timedelta(days=days)
    closes_at = datetime.datetime.combine(day, datetime.time(0, 30), tzinfo=STOCKHOLM)
    ConsultationFactory(
        programme=world.programme_a, closes_at=closes_at, invited=[world.provider_in_a]
    )

    assert send_consultation_closing_reminders(today=timezone.localdate()) == 0


def test_a_scheduled_consultation_is_not_reminded(world):
    closing_in(world, 2, [world.provider_in_a], status=Consultation.Status.SCHEDULED)

    assert send_consultation_closing_reminders(today=timezone.localdate()) == 0


def test_a_closing_consultation_is_reminded_once_when_the_job_runs_twice(world):
    closing_in(world, 2, [world.provider_in_a, world.network])
    today = timezone.localdate()

    send_consultation_closing_reminders(today=today)
    send_consultation_closing_reminders(today=today)
    send_consultation_closing_reminders(today=today + datetime.timedelta(days=1))

    assert len(mail.outbox) == 2


# --- comments without a response ---------------------------------------------------------

# Closed on Monday 2 November 2026: the tenth working day after is Monday 16 November.
CLOSED_ON = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=STOCKHOLM)
TENTH_WORKING_DAY = datetime.date(2026, 11, 16)


def closed_consultation(world, **kwargs):
    return ConsultationFactory(
        programme=world.programme_a,
        title="Remiss: öppettider",
        opens_at=CLOSED_ON - datetime.timedelta(days=30),
        closes_at=CLOSED_ON,
        status=Consultation.Status.CLOSED,
        invited=[world.provider_in_a, world.network],
        **kwargs,
    )


def test_ten_working_days_skip_weekends():
    assert add_working_days(datetime.date(2026, 11, 2), 10) == TENTH_WORKING_DAY
    # From a Friday, the fifth working day is the next Friday.
    assert add_working_days(datetime.date(2026, 10, 30), 5) == datetime.date(2026, 11, 6)


def test_comments_without_a_response_10_working_days_after_the_close_remind_the_officers(
    world,
):
    consultation = closed_consultation(world)
    CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    CommentFactory(consultation=consultation, organisation=world.network)
    answered = CommentFactory(consultation=consultation, organisation=world.network)
    ResponseFactory(comment=answered)

    assert send_unanswered_comment_reminders(today=TENTH_WORKING_DAY) == 1

    (message,) = emails_to(world.people["officer_a"])
    assert "2" in message.subject
    assert "Remiss: öppettider" in message.subject
    assert "2 november 2026" in message.body
    assert f"/api/v1/consultations/{consultation.id}/comments/?answered=false" in html_of(message)
    assert len(mail.outbox) == 1  # officers only: not the manager, not the providers


def test_comments_are_not_reminded_before_the_tenth_working_day(world):
    consultation = closed_consultation(world)
    CommentFactory(consultation=consultation, organisation=world.provider_in_a)

    # Friday 13 November is only the ninth working day; the weekend does not count.
    for day in (datetime.date(2026, 11, 13), datetime.date(2026, 11, 15)):
        assert send_unanswered_comment_reminders(today=day) == 0
    assert mail.outbox == []


def test_a_consultation_whose_comments_all_have_responses_is_not_reminded(world):
    consultation = closed_consultation(world)
    ResponseFactory(comment=CommentFactory(consultation=consultation, organisation=world.network))
    CommentFactory(
        consultation=consultation,
        organisation=world.provider_in_a,
        status=Comment.Status.WITHDRAWN,
        withdrawn_at=CLOSED_ON - datetime.timedelta(days=1),
    )

    assert send_unanswered_comment_reminders(today=TENTH_WORKING_DAY) == 0


def test_unanswered_comments_are_reminded_once_when_the_job_runs_twice(world):
    consultation = closed_consultation(world)
    CommentFactory(consultation=consultation, organisation=world.provider_in_a)
    second_officer = MembershipFactory(
        person=PersonFactory(username="second_officer"),
        organisation=world.purchaser_a,
        role="officer",
    ).person

    send_unanswered_comment_reminders(today=TENTH_WORKING_DAY)
    send_unanswered_comment_reminders(today=TENTH_WORKING_DAY)
    send_unanswered_comment_reminders(today=TENTH_WORKING_DAY + datetime.timedelta(days=1))

    assert len(emails_to(world.people["officer_a"])) == 1
    assert len(emails_to(second_officer)) == 1
    assert len(mail.outbox) == 2


def test_an_invited_provider_in_norway_is_reminded_in_norwegian(world):
    oslo_clinic = ProviderFactory(name="Oslo legesenter AS", country="NO")
    rep = MembershipFactory(
        person=PersonFactory(username="oslo_rep"),
        organisation=oslo_clinic,
        role="provider_representative",
    ).person
    consultation = closing_in(world, 1, [oslo_clinic])

    send_consultation_closing_reminders(today=timezone.localdate())

    (message,) = emails_to(rep)
    assert message.extra_headers["Content-Language"] == "nb"
    with translation.override("nb"):
        closes = date_format(timezone.localtime(consultation.closes_at), "DATETIME_FORMAT")
    assert closes in message.body
    assert closes in html_of(message)
