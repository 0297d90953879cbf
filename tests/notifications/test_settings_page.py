"""The notification settings on the profile page: every kind with its label, description and
choice (a required kind says it cannot be turned off), and the digest time; saved together
through the preferences service with Events, or refused beside the field with nothing
saved, in the person's language."""

import datetime

import pytest

from commissioning.models import Event, Profile
from notifications.kinds import KINDS
from notifications.models import Preference
from tests.pages import signed_in, text

pytestmark = pytest.mark.django_db


def choices(**chosen) -> dict:
    form = {f"kind_{code}": "immediately" for code, kind in KINDS.items() if not kind.required}
    form |= {f"kind_{code}": delivery for code, delivery in chosen.items()}
    return {"digest_time": "07:00", **form}


def test_the_profile_shows_each_kind_with_its_choice_and_the_digest_time(world):
    page = text(signed_in(world).get("/profile/"))
    section = page.split('<section id="notifications"', 1)[1].split("</section>", 1)[0]
    for kind in KINDS.values():
        assert str(kind.label) in section
        assert str(kind.description) in section
    assert 'name="kind_meeting_cancelled"' not in section
    assert "This one cannot be turned off." in section
    assert 'value="immediately" id="id_kind_concern_0" required checked' in section
    assert 'type="time" name="digest_time" value="07:00"' in section


def test_the_choices_and_digest_time_are_saved_with_events(world):
    person = world.people["officer_a"]
    client = signed_in(world)
    response = client.post(
        "/profile/notifications/",
        {**choices(concern="digest", consultation_opened="off"), "digest_time": "17:30"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/profile/#notifications"
    assert dict(Preference.objects.filter(person=person).values_list("kind", "delivery")) == {
        **{code: "immediately" for code, kind in KINDS.items() if not kind.required},
        "concern": "digest",
        "consultation_opened": "off",
    }
    assert Profile.objects.get(person=person).digest_time == datetime.time(17, 30)
    page = text(client.get("/profile/"))
    assert "Your notification settings are saved." in page
    assert 'value="17:30"' in page
    verbs = list(Event.objects.values_list("verb", flat=True))
    assert verbs.count("notification_preference.changed") == len(KINDS) - 1
    assert "profile.changed" in verbs


def test_a_wrong_time_is_refused_beside_its_field_in_swedish_and_nothing_is_saved(world):
    person = world.people["officer_a"]
    Profile.objects.update_or_create(person=person, defaults={"language": "sv"})
    events = Event.objects.count()
    response = signed_in(world).post(
        "/profile/notifications/", {**choices(concern="off"), "digest_time": "25:99"}
    )
    assert response.status_code == 400
    page = text(response)
    assert 'role="alert"' in page
    assert 'href="#id_digest_time"' in page
    assert 'aria-invalid="true"' in page
    assert "Fyll i en giltig tid." in page
    assert not Preference.objects.filter(person=person).exists()
    assert Event.objects.count() == events


def test_an_unknown_choice_is_refused_and_nothing_is_saved(world):
    person = world.people["officer_a"]
    response = signed_in(world).post(
        "/profile/notifications/", choices(concern="weekly", minutes_approved="off")
    )
    assert response.status_code == 400
    assert "Select a valid choice." in text(response)
    assert not Preference.objects.filter(person=person).exists()
