"""How every reminder is sent: in the recipient's language (language_of), once per key, and
not at all (so tried again) when sending fails."""

import datetime

import pytest
from django.core import mail

from commissioning.languages import language_of
from commissioning.models import Event
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, PurchaserFactory
from tests.workers.reminder_factories import (
    TODAY,
    ActionItemFactory,
    ArenaFactory,
    MeetingFactory,
    MilestoneFactory,
    ProfileFactory,
)
from workers.models import Notification
from workers.reminders.deadlines import send_action_overdue_reminders
from workers.reminders.jobs import send_due_reminders

pytestmark = pytest.mark.django_db


def person_in(organisation, username, role="provider_representative"):
    return MembershipFactory(
        person=PersonFactory(username=username), organisation=organisation, role=role
    ).person


@pytest.mark.parametrize(
    ("country", "language"), [("SE", "sv"), ("NO", "nb"), ("GB", "en"), ("DK", "en")]
)
def test_without_a_profile_the_language_is_the_organisations_countrys(country, language):
    organisation = ProviderFactory(country=country)
    person = person_in(organisation, f"rep_{country}")

    assert language_of(person, organisation) == language
    assert language_of(person) == language  # from the person's own organisation


def test_the_profiles_language_wins_over_the_country():
    organisation = PurchaserFactory(country="SE")
    person = person_in(organisation, "prefers_english", role="officer")
    ProfileFactory(person=person, language="en")

    assert language_of(person, organisation) == "en"


def test_an_empty_profile_language_falls_back_to_the_country():
    organisation = ProviderFactory(country="NO")
    person = person_in(organisation, "no_preference")
    ProfileFactory(person=person, language="")

    assert language_of(person, organisation) == "nb"


def test_a_person_of_no_organisation_reads_english():
    assert language_of(PersonFactory(username="loner")) == "en"


@pytest.fixture
def overdue_action(world):
    meeting = MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_a))
    return ActionItemFactory(
        meeting=meeting,
        owner_organisation=world.provider_in_a,
        due_date=TODAY - datetime.timedelta(days=1),
    )


def test_a_failed_send_leaves_no_notification_so_the_next_run_sends_it(
    world, overdue_action, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        with pytest.raises(ConnectionRefusedError):
            send_action_overdue_reminders(today=TODAY)
    assert Notification.objects.count() == 0

    assert send_action_overdue_reminders(today=TODAY) == 1
    assert len(mail.outbox) == 1


def test_the_notification_records_whom_what_and_in_which_language(world, overdue_action):
    send_action_overdue_reminders(today=TODAY)

    notification = Notification.objects.get()
    person = world.people["provider_in_a"]
    assert notification.kind == "action_overdue"
    assert notification.recipient == person
    assert notification.email == person.email
    assert notification.language == "sv"
    assert notification.subject == mail.outbox[0].subject


def test_a_person_without_an_email_address_is_skipped(world, overdue_action):
    person = world.people["provider_in_a"]
    person.email = ""
    person.save()

    assert send_action_overdue_reminders(today=TODAY) == 0
    assert Notification.objects.count() == 0


def test_the_daily_task_runs_every_kind_in_process_without_a_broker(world, overdue_action):
    MilestoneFactory(programme=world.programme_a, due_date=TODAY - datetime.timedelta(days=1))

    send_due_reminders.delay(TODAY.isoformat())
    send_due_reminders.delay(TODAY.isoformat())

    kinds = Notification.objects.values_list("kind", flat=True)
    assert "action_overdue" in kinds
    assert "relationship_silent" in kinds
    assert len(kinds) == len(set(Notification.objects.values_list("key", flat=True)))
    assert len(mail.outbox) == len(kinds)
    assert Event.objects.filter(verb="milestone.missed").count() == 1
