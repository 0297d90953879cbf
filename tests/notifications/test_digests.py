"""The daily digest: a person on the digest gets one email a day with all their digest
notices, at the time they chose in their time zone, on the days the clocks change too;
not before, not twice; what comes after the digest waits for the next day's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from commissioning.models import Profile
from notifications.digests import send_due_digests
from notifications.models import Notice
from notifications.services.preferences import set_delivery, set_digest_time
from tests.notifications.factories import NoticeFactory
from tests.notifications.test_notices import approve, held_meeting, notices_emailed

UTC = datetime.UTC
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def digests() -> list:
    return [m for m in mail.outbox if m.subject.startswith(("Your daily digest", "Din dagliga"))]


def made_at(notices, moment: datetime.datetime) -> None:
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(created_at=moment)


@pytest.mark.parametrize(
    ("day", "seven_local_in_utc", "seven_the_day_before_in_utc"),
    [
        # The last Sunday of October: 03:00 summer time becomes 02:00 winter time.
        ("2026-10-25", 6, 5),
        # The last Sunday of March: 02:00 winter time becomes 03:00 summer time.
        ("2027-03-28", 5, 6),
    ],
)
def test_one_digest_with_all_the_days_notices_at_seven_local_time_across_the_clock_change(
    world, django_capture_on_commit_callbacks, day, seven_local_in_utc, seven_the_day_before_in_utc
):
    person = world.people["officer_a"]
    Profile.objects.update_or_create(
        person=person, defaults={"time_zone": "Europe/Stockholm", "language": "sv"}
    )
    set_digest_time(person=person, at=datetime.time(7, 0))
    set_delivery(person=person, kind="minutes_approved", delivery="digest", actor=person)
    set_delivery(person=person, kind="concern", delivery="digest", actor=person)
    # A real occasion (approved minutes) and two more of the evening before.
    approve(world, held_meeting(world), django_capture_on_commit_callbacks)
    occasion = Notice.objects.get(person=person)
    assert occasion.delivery == "digest"
    assert [m for m in notices_emailed() if "officer_a" in m.to[0]] == []
    mail.outbox.clear()
    evening = [
        NoticeFactory(person=person, about=world.programme_a, delivery="digest", kind="concern"),
        NoticeFactory(person=person, about=world.programme_a, delivery="digest"),
    ]
    the_day_before = datetime.date.fromisoformat(day) - datetime.timedelta(days=1)
    made_at([occasion], at(the_day_before.isoformat(), seven_the_day_before_in_utc, 30))
    made_at(evening, at(the_day_before.isoformat(), 19))
    # Someone on immediate email, and an immediate notice of the person: not in any digest.
    NoticeFactory(person=person, about=world.programme_a, emailed_at=timezone.now())
    seven = at(day, seven_local_in_utc)
    assert seven.astimezone(STOCKHOLM).time() == datetime.time(7, 0)

    assert send_due_digests(seven - datetime.timedelta(minutes=15)) == 0
    assert digests() == []

    assert send_due_digests(seven) == 1
    (digest,) = digests()
    assert digest.to == [f"{person.get_full_name()} <{person.email}>"]
    assert digest.subject == "Din dagliga sammanfattning: 3 aviseringar"
    assert digest.extra_headers["Content-Language"] == "sv"
    for notice in [occasion, *evening]:
        assert notice.title in digest.body
        assert notice.title in digest.alternatives[0][0]
    assert f"{settings.SITE_URL}{occasion.url}" in digest.body
    assert digest.extra_headers["List-Unsubscribe"] == (
        f"<{settings.SITE_URL}/profile/#notifications>"
    )
    assert "List-Unsubscribe-Post" not in digest.extra_headers
    assert not Notice.objects.filter(person=person, delivery="digest", emailed_at=None).exists()

    # Not twice: the next runs of the day find nothing to send.
    for minutes in (15, 60, 600):
        assert send_due_digests(seven + datetime.timedelta(minutes=minutes)) == 0
    assert len(digests()) == 1


def test_what_comes_after_the_digest_waits_for_the_next_days(world):
    person = world.people["officer_a"]
    Profile.objects.update_or_create(person=person, defaults={"time_zone": "Europe/Stockholm"})
    set_digest_time(person=person, at=datetime.time(7, 0))
    early = NoticeFactory(person=person, about=world.programme_a, delivery="digest")
    made_at([early], at("2027-03-28", 4))
    assert send_due_digests(at("2027-03-28", 5)) == 1
    late = NoticeFactory(person=person, about=world.programme_a, delivery="digest")
    made_at([late], at("2027-03-28", 9))
    # The same day, after the digest: nothing; the next morning at seven: the late one.
    assert send_due_digests(at("2027-03-28", 21, 45)) == 0
    assert send_due_digests(at("2027-03-29", 4, 45)) == 0
    assert send_due_digests(at("2027-03-29", 5)) == 1
    assert len(digests()) == 2
    assert late.title in digests()[1].body
    assert early.title not in digests()[1].body


def test_the_installations_zone_and_seven_oclock_when_the_person_chose_neither(world, settings):
    settings.TIME_ZONE = "Europe/Oslo"
    person = world.people["provider_in_a"]
    Profile.objects.filter(person=person).delete()
    notice = NoticeFactory(person=person, about=world.programme_a, delivery="digest")
    made_at([notice], at("2027-01-10", 3))
    assert send_due_digests(at("2027-01-10", 5, 45)) == 0  # 06:45 in Oslo
    assert send_due_digests(at("2027-01-10", 6)) == 1  # 07:00 in Oslo
