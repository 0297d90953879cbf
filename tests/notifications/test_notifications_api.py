"""The person's notifications in the API: their own list (unread first, paginated, filtered
by ?unread), marking one or all read, and their settings per kind and digest time.
Another person's notice answers 404 exactly as a missing one."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.models import Event, Profile
from notifications.kinds import KINDS
from notifications.models import Notice, Preference
from tests.notifications.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def api(world, actor="officer_a") -> APIClient:
    client = APIClient()
    client.force_authenticate(world.people[actor])
    return client


def notice(world, actor="officer_a", **fields) -> Notice:
    return NoticeFactory(person=world.people[actor], about=world.programme_a, **fields)


def test_the_list_is_the_persons_own_unread_first_and_paginated(world):
    older = notice(world, title="Older unread")
    read = notice(world, title="Newer read", read_at=timezone.now())
    notice(world, "manager_a", title="Not yours")
    answer = api(world).get("/api/v1/notifications/").json()
    assert answer["count"] == 2
    assert [row["id"] for row in answer["results"]] == [older.pk, read.pk]
    assert answer["results"][0] | {"created_at": None} == {
        "id": older.pk,
        "kind": "minutes_approved",
        "title": "Older unread",
        "url": "/",
        "created_at": None,
        "read_at": None,
        "read": False,
    }
    unread = api(world).get("/api/v1/notifications/?unread=true").json()
    assert [row["id"] for row in unread["results"]] == [older.pk]
    only_read = api(world).get("/api/v1/notifications/?unread=false").json()
    assert [row["id"] for row in only_read["results"]] == [read.pk]
    paged = api(world).get("/api/v1/notifications/?page_size=1&page=2").json()
    assert [row["id"] for row in paged["results"]] == [read.pk]


def test_marking_one_and_all_read(world):
    first, second = notice(world), notice(world)
    client = api(world)
    answer = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert answer.status_code == 200
    assert answer.json()["read"] is True
    assert client.post("/api/v1/notifications/read-all/").json() == {"read": 1}
    second.refresh_from_db()
    assert second.read_at is not None
    assert client.post("/api/v1/notifications/read-all/").json() == {"read": 0}


def test_another_persons_notice_answers_exactly_as_a_missing_one(world):
    theirs = notice(world, "manager_a")
    client = api(world)
    refused = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    missing = client.post("/api/v1/notifications/99999999/read/")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_settings_list_every_kind_with_its_delivery_and_the_digest_time(world):
    Profile.objects.update_or_create(
        person=world.people["officer_a"], defaults={"time_zone": "Europe/Oslo"}
    )
    answer = api(world).get("/api/v1/notification-settings/").json()
    assert [row["kind"] for row in answer["kinds"]] == list(KINDS)
    cancelled = next(row for row in answer["kinds"] if row["kind"] == "meeting_cancelled")
    assert cancelled["required"] is True
    assert cancelled["delivery"] == "immediately"
    assert answer["digest_time"] == "07:00"
    assert answer["time_zone"] == "Europe/Oslo"


def test_the_settings_are_changed_together_with_events(world):
    person = world.people["officer_a"]
    answer = api(world).put(
        "/api/v1/notification-settings/",
        {
            "kinds": [
                {"kind": "concern", "delivery": "digest"},
                {"kind": "consultation_opened", "delivery": "off"},
            ],
            "digest_time": "18:15",
        },
        format="json",
    )
    assert answer.status_code == 200
    deliveries = {row["kind"]: row["delivery"] for row in answer.json()["kinds"]}
    assert deliveries["concern"] == "digest"
    assert deliveries["consultation_opened"] == "off"
    assert deliveries["minutes_approved"] == "immediately"
    assert answer.json()["digest_time"] == "18:15"
    assert Profile.objects.get(person=person).digest_time.isoformat() == "18:15:00"
    assert Event.objects.filter(verb="notification_preference.changed").count() == 2


def test_a_required_kind_cannot_be_turned_off_and_nothing_is_saved_in_swedish(world):
    person = world.people["officer_a"]
    events = Event.objects.count()
    answer = api(world).put(
        "/api/v1/notification-settings/",
        {
            "kinds": [
                {"kind": "concern", "delivery": "digest"},
                {"kind": "meeting_cancelled", "delivery": "off"},
            ],
            "digest_time": "09:00",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert answer.status_code == 400
    assert "Inställda möten" in answer.json()["error"]["message"]
    assert not Preference.objects.filter(person=person).exists()
    assert Event.objects.count() == events
    assert not Profile.objects.filter(person=person, digest_time__hour=9).exists()


def test_a_time_that_is_not_a_time_of_day_is_refused_with_what_to_write(world):
    answer = api(world).put(
        "/api/v1/notification-settings/",
        {"kinds": [], "digest_time": "24:00"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["digest_time"] == [
        "Oppgi et klokkeslett som TT:MM, f.eks. 07:30."
    ]


def test_an_unknown_kind_or_a_kind_named_twice_is_refused(world):
    client = api(world)
    unknown = client.put(
        "/api/v1/notification-settings/",
        {"kinds": [{"kind": "weather", "delivery": "off"}], "digest_time": "09:00"},
        format="json",
    )
    twice = client.put(
        "/api/v1/notification-settings/",
        {
            "kinds": [
                {"kind": "concern", "delivery": "off"},
                {"kind": "concern", "delivery": "digest"},
            ],
            "digest_time": "09:00",
        },
        format="json",
    )
    assert unknown.status_code == twice.status_code == 400
    assert "kinds" in unknown.json()["error"]["fields"]
    assert "kinds" in twice.json()["error"]["fields"]
    assert not Preference.objects.exists()
