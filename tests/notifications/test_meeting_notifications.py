"""The meetings' occasions, in-process (the relay and the delivery run at the commit):
invitations, changes and cancellations with their calendar entry, actions assigned, and
back-filled meetings that stay quiet. The same through a real worker and SMTP server is
test_delivery_with_worker.py."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from commissioning.models import Event, Membership, Profile
from dialogue.models import Meeting
from dialogue.services.log import log_meeting
from dialogue.services.meetings import cancel_meeting, create_meeting, update_meeting
from dialogue.services.record import create_action_item
from notifications.digests import send_due_digests
from notifications.models import Notice
from notifications.services.preferences import set_delivery
from tests.dialogue.factories import ArenaFactory
from tests.factories import MembershipFactory, PersonFactory
from workers import relay
from workers.models import HandlerRun, TrustPulse

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def notices_emailed() -> list:
    """The notification emails sent (trust pulses go out beside them)."""
    return [m for m in mail.outbox if "X-Notification-Kind" in m.extra_headers]


def address(message) -> str:
    return message.to[0].split("<")[1].rstrip(">")


def emailed_to(username: str) -> list:
    return [m for m in notices_emailed() if address(m) == f"{username}@example.org"]


def calendar_of(message) -> tuple[Calendar, str]:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename == "invitation.ics"
    return Calendar.from_ical(content), mimetype


def attendees(event) -> list[str]:
    found = event.get("ATTENDEE") or []
    return sorted(str(a) for a in (found if isinstance(found, list) else [found]))


def in_days(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def plan(world, django_capture_on_commit_callbacks):
    """Plan a meeting of purchaser A (the relay and the emails run at the commit)."""
    arena = ArenaFactory(purchaser=world.purchaser_a, name="Provider council A")

    def make(*, starts_at=None, invitees=None, **fields):
        starts_at = starts_at or in_days(10)
        with django_capture_on_commit_callbacks(execute=True):
            return create_meeting(
                actor=world.people["officer_a"],
                acting_for=world.purchaser_a,
                arena=arena.pk,
                title=fields.pop("title", "Provider council, winter"),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                place="Regionens hus, sal 3",
                invitees=invitees
                if invitees is not None
                else [
                    {"organisation": world.provider_in_a.pk, "person": provider(world).pk},
                    {"organisation": world.network.pk},
                ],
                **fields,
            )

    return make


def provider(world):
    return world.people["provider_in_a"]


def outside_guest(world):
    """A provider representative of an organisation outside purchaser A's relationships."""
    guest = PersonFactory(username="guest", email="guest@example.org")
    MembershipFactory(
        person=guest,
        organisation=world.provider_outside,
        role=Membership.Role.PROVIDER_REPRESENTATIVE,
    )
    return guest


def as_of_yesterday() -> None:
    """The emails so far went out two days ago (the quiet rule holds a second email of a
    kind about one subject within a day for the digest)."""
    Notice.objects.update(emailed_at=timezone.now() - datetime.timedelta(days=2))


def change(world, meeting, capture, **changes):
    with capture(execute=True):
        return update_meeting(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            meeting=meeting,
            **changes,
        )


# --- planned ------------------------------------------------------------------------------


def test_a_planned_meeting_invites_each_named_person_and_an_organisations_people(world, plan):
    meeting = plan()
    assert sorted(address(m) for m in notices_emailed()) == [
        "network_rep@example.org",
        "provider_in_a@example.org",
    ]
    assert sorted(Notice.objects.values_list("key", flat=True)) == sorted(
        f"meeting-planned:{meeting.pk}:{world.people[name].pk}"
        for name in ("provider_in_a", "network_rep")
    )
    (message,) = emailed_to("provider_in_a")
    # provider_in_a's organisation is Swedish: the email is in Swedish.
    assert message.extra_headers["Content-Language"] == "sv"
    assert message.subject == "Inbjudan: Provider council, winter"
    assert message.from_email.startswith('"Region A"') or message.from_email.startswith("Region A")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Regionens hus, sal 3" in message.body
    assert f"/meetings/{meeting.pk}/" in message.body
    calendar, mimetype = calendar_of(message)
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert event["SEQUENCE"] == 0
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")


def test_an_invited_political_body_is_its_politicians(world, plan):
    plan(invitees=[{"organisation": world.political_body_a.pk}])
    assert [address(m) for m in notices_emailed()] == ["politician_a@example.org"]


@pytest.mark.parametrize(
    ("language", "subject", "weekday"),
    [
        ("en", "Invitation:", "Thursday"),
        ("sv", "Inbjudan:", "torsdag"),
        ("nb", "Invitasjon:", "torsdag"),
    ],
)
def test_the_invitation_is_in_the_persons_language(world, plan, language, subject, weekday):
    Profile.objects.update_or_create(person=provider(world), defaults={"language": language})
    day = in_days(10)
    thursday = day + datetime.timedelta(days=(3 - day.weekday()) % 7)
    plan(starts_at=thursday)
    (message,) = emailed_to("provider_in_a")
    assert message.subject.startswith(subject)
    assert f"{weekday} " in message.body
    assert message.extra_headers["Content-Language"] == language
    assert f'<html lang="{language}">' in message.alternatives[0][0]


def test_a_meeting_in_the_past_or_logged_after_the_fact_invites_no_one(world, plan):
    plan(starts_at=timezone.now() - datetime.timedelta(days=2))
    log_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        new_meeting={
            "arena": ArenaFactory(purchaser=world.purchaser_a).pk,
            "title": "Held yesterday",
            "starts_at": timezone.now() - datetime.timedelta(days=1),
            "ends_at": timezone.now() - datetime.timedelta(hours=22),
            "place": "Town hall",
            "invitees": [{"organisation": world.provider_in_a.pk}],
        },
    )
    assert not Notice.objects.filter(kind="meeting_invitation").exists()
    assert notices_emailed() == []


def test_the_relay_run_twice_invites_once(world, plan, django_capture_on_commit_callbacks):
    plan()
    event = Event.objects.get(verb="meeting.created")
    # The relay again, and even its handler again (its run record gone): the notices' keys
    # still keep each person to one invitation.
    for forget_runs in (False, True):
        Event.objects.filter(pk=event.pk).update(relayed_at=None)
        if forget_runs:
            HandlerRun.objects.filter(event=event).delete()
        with django_capture_on_commit_callbacks(execute=True):
            relay.relay_event_now(event.pk)
    assert len(notices_emailed()) == 2
    assert Notice.objects.count() == 2


# --- changed ------------------------------------------------------------------------------


def test_a_change_sends_the_update_with_a_higher_sequence_and_invites_the_newly_invited(
    world, plan, django_capture_on_commit_callbacks
):
    meeting = plan()
    first_uid = str(calendar_of(emailed_to("provider_in_a")[0])[0].events[0]["UID"])
    as_of_yesterday()
    guest = outside_guest(world)
    change(
        world,
        meeting,
        django_capture_on_commit_callbacks,
        starts_at=in_days(11),
        ends_at=in_days(11, hour=11),
        invitees=[
            {"organisation": world.provider_in_a.pk, "person": provider(world).pk},
            {"organisation": world.network.pk},
            {"organisation": world.provider_outside.pk, "person": guest.pk},
        ],
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    (update,) = emailed_to("provider_in_a")[1:]
    assert update.subject.startswith("Ändrat:")
    calendar, _mimetype = calendar_of(update)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == first_uid
    assert event["SEQUENCE"] == 1
    assert Notice.objects.filter(
        key=f"meeting-changed:{meeting.pk}:1:{provider(world).pk}"
    ).exists()
    # The person the change invited gets the invitation itself.
    (invitation,) = emailed_to("guest")
    assert invitation.subject.startswith("Inbjudan:")
    assert Notice.objects.filter(key=f"meeting-planned:{meeting.pk}:{guest.pk}").exists()


def test_people_a_change_leaves_out_get_a_cancel_once(
    world, plan, django_capture_on_commit_callbacks
):
    meeting = plan()
    uid = str(calendar_of(emailed_to("network_rep")[0])[0].events[0]["UID"])
    as_of_yesterday()
    only_the_provider = [{"organisation": world.provider_in_a.pk, "person": provider(world).pk}]
    change(world, meeting, django_capture_on_commit_callbacks, invitees=only_the_provider)
    (left_out,) = emailed_to("network_rep")[1:]
    assert left_out.subject == "Inte längre inbjuden: Provider council, winter"
    assert "du är inte längre inbjuden" in left_out.body
    assert f"/meetings/{meeting.pk}/" not in left_out.body  # a page they no longer see
    calendar, mimetype = calendar_of(left_out)
    assert mimetype.startswith("text/calendar; method=CANCEL")
    (event,) = calendar.events
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", uid, 1)
    assert emailed_to("provider_in_a")[1].subject.startswith("Ändrat:")
    # A later change tells them nothing more.
    as_of_yesterday()
    change(world, meeting, django_capture_on_commit_callbacks, place="Sal 4")
    assert len(emailed_to("network_rep")) == 2
    assert len(emailed_to("provider_in_a")) == 3


def test_a_second_change_within_a_day_goes_to_the_digest(
    world, plan, django_capture_on_commit_callbacks
):
    meeting = plan()
    change(world, meeting, django_capture_on_commit_callbacks, place="Sal 4")
    assert len(emailed_to("provider_in_a")) == 1
    held = Notice.objects.get(key=f"meeting-changed:{meeting.pk}:1:{provider(world).pk}")
    assert held.delivery == "digest"

    # The digest carries the change to the calendar: the entry at its latest SEQUENCE.
    meeting.refresh_from_db()
    assert send_due_digests(timezone.now() + datetime.timedelta(days=1)) >= 1
    (digest,) = [m for m in mail.outbox if m.to == emailed_to("provider_in_a")[0].to][1:]
    calendar, mimetype = calendar_of(digest)
    assert mimetype.startswith("text/calendar; method=REQUEST")
    (event,) = calendar.events
    assert int(event["SEQUENCE"]) == meeting.sequence
    assert "Sal 4" in str(event["LOCATION"])


# --- cancelled ----------------------------------------------------------------------------


def test_a_cancellation_is_a_cancel_sent_even_to_people_who_turned_invitations_off(
    world, plan, django_capture_on_commit_callbacks
):
    meeting = plan()
    uid = str(calendar_of(emailed_to("provider_in_a")[0])[0].events[0]["UID"])
    set_delivery(person=provider(world), kind="meeting_invitation", delivery="off")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            meeting=meeting,
            reason="Too few could come.",
        )
    (cancellation,) = emailed_to("provider_in_a")[1:]
    assert cancellation.subject == "Inställt: Provider council, winter"
    assert "Too few could come." in cancellation.body
    calendar, mimetype = calendar_of(cancellation)
    assert mimetype.startswith("text/calendar; method=CANCEL")
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.events
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert Notice.objects.filter(key=f"meeting-cancelled:{meeting.pk}:{provider(world).pk}")
    assert len(emailed_to("network_rep")) == 2


# --- third parties ------------------------------------------------------------------------


def test_the_calendar_entry_names_only_the_attendees_whose_address_the_recipient_may_see(
    world, plan
):
    guest = outside_guest(world)
    plan(
        invitees=[
            {"organisation": world.provider_in_a.pk, "person": provider(world).pk},
            {"organisation": world.provider_outside.pk, "person": guest.pk},
            {"organisation": world.purchaser_a.pk, "person": world.people["officer_a"].pk},
            {"organisation": world.purchaser_a.pk, "person": world.people["manager_a"].pk},
        ]
    )
    (to_provider,) = emailed_to("provider_in_a")
    assert attendees(calendar_of(to_provider)[0].events[0]) == ["mailto:provider_in_a@example.org"]
    assert "guest@example.org" not in to_provider.message().as_string()
    (to_guest,) = emailed_to("guest")
    assert attendees(calendar_of(to_guest)[0].events[0]) == ["mailto:guest@example.org"]
    # A manager looks after the purchaser's people, and sees their addresses.
    (to_manager,) = emailed_to("manager_a")
    assert attendees(calendar_of(to_manager)[0].events[0]) == [
        "mailto:manager_a@example.org",
        "mailto:officer_a@example.org",
    ]


# --- actions ------------------------------------------------------------------------------


def held_meeting(world, *, days_ago: int, logged_days_ago: int = 0) -> Meeting:
    meeting = log_meeting(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        new_meeting={
            "arena": ArenaFactory(purchaser=world.purchaser_a).pk,
            "title": "Provider council",
            "starts_at": timezone.now() - datetime.timedelta(days=days_ago),
            "ends_at": timezone.now() - datetime.timedelta(days=days_ago, hours=-2),
            "place": "Town hall",
            "invitees": [{"organisation": world.provider_in_a.pk}],
        },
    )
    return meeting


def test_an_action_tells_its_owner_or_the_people_of_the_owning_organisation(
    world, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, days_ago=1)
    officer = world.people["officer_a"]
    due = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        named = create_action_item(
            actor=officer,
            acting_for=world.purchaser_a,
            meeting=meeting,
            title="Draft the new routine",
            owner_organisation=world.provider_in_a.pk,
            owner_person=provider(world).pk,
            due_date=due,
        )
    (message,) = emailed_to("provider_in_a")
    assert message.subject == "En åtgärd till dig: Draft the new routine"
    assert "Provider in A" in message.body
    assert Notice.objects.filter(key=f"action-assigned:{named.pk}:{provider(world).pk}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        create_action_item(
            actor=officer,
            acting_for=world.purchaser_a,
            meeting=meeting,
            title="Report figures",
            owner_organisation=world.purchaser_a.pk,
            due_date=due,
        )
    # The purchaser's own: its people, but not the officer who gave it.
    assert [address(m) for m in notices_emailed()[1:]] == ["manager_a@example.org"]


def test_actions_of_a_meeting_logged_in_one_go_tell_their_owners_once(
    world, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = log_meeting(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            new_meeting={
                "arena": ArenaFactory(purchaser=world.purchaser_a).pk,
                "title": "Provider council",
                "starts_at": timezone.now() - datetime.timedelta(days=3),
                "ends_at": timezone.now() - datetime.timedelta(days=3, hours=-2),
                "place": "Town hall",
                "invitees": [{"organisation": world.provider_in_a.pk}],
            },
            actions=[
                {
                    "title": "Report figures",
                    "owner_organisation": world.provider_in_a.pk,
                    "owner_person": provider(world).pk,
                    "due_date": due,
                }
            ],
        )
    assert not meeting.logged_late
    (message,) = emailed_to("provider_in_a")
    assert "Report figures" in message.subject


def test_a_back_filled_meeting_gives_no_one_an_action(world, django_capture_on_commit_callbacks):
    meeting = held_meeting(world, days_ago=60)
    assert meeting.logged_late
    with django_capture_on_commit_callbacks(execute=True):
        create_action_item(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            meeting=meeting,
            title="Report figures",
            owner_organisation=world.provider_in_a.pk,
            owner_person=provider(world).pk,
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert Notice.objects.count() == 0
    assert notices_emailed() == []


# --- back-filling -------------------------------------------------------------------------


def test_logging_35_meetings_of_last_quarter_sends_no_pulse_and_no_notice(
    world, django_capture_on_commit_callbacks, settings
):
    """A manager back-fills last quarter: through the real log service, with attendance,
    actions and minutes, in one go. Nobody is asked for a pulse or told anything."""
    settings.BACKFILL_QUIET_DAYS = 14
    arena = ArenaFactory(purchaser=world.purchaser_a)
    quarter_start = timezone.now() - datetime.timedelta(days=100)
    due = timezone.localdate() + datetime.timedelta(days=30)

    def log(starts_at, title):
        return log_meeting(
            actor=world.people["manager_a"],
            acting_for=world.purchaser_a,
            new_meeting={
                "arena": arena.pk,
                "title": title,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=2),
                "place": "Town hall",
                "invitees": [
                    {"organisation": world.provider_in_a.pk},
                    {"organisation": world.network.pk},
                ],
            },
            attendance=[
                {"organisation": world.provider_in_a.pk, "status": "present"},
                {"organisation": world.network.pk, "status": "present"},
                {
                    "organisation": world.purchaser_a.pk,
                    "person": world.people["officer_a"].pk,
                    "status": "present",
                },
            ],
            actions=[
                {
                    "title": "Report figures",
                    "owner_organisation": world.provider_in_a.pk,
                    "owner_person": provider(world).pk,
                    "due_date": due,
                }
            ],
            minutes="We spoke about discharge notices.",
        )

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(35):
            log(quarter_start + datetime.timedelta(days=2 * number), f"Council {number + 1}")
    assert Meeting.objects.count() == 35
    assert all(m.logged_late for m in Meeting.objects.all())
    assert Event.objects.filter(relayed_at__isnull=True).count() == 0
    assert TrustPulse.objects.count() == 0
    assert Notice.objects.count() == 0
    assert mail.outbox == []

    # The same log a few days late is not back-filling: it asks its pulses and tells the
    # owner of its action (what the quiet rule must not swallow).
    with django_capture_on_commit_callbacks(execute=True):
        log(timezone.now() - datetime.timedelta(days=5), "Council last week")
    assert TrustPulse.objects.count() > 0
    assert Notice.objects.filter(kind="action_assigned").count() == 1
