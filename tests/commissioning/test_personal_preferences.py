"""A person's chosen language wins everywhere (their pages, over Accept-Language and a
language cookie; their emails; the PDFs they order), and their time zone is the one times
are shown in on their pages."""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import dateformat, formats, translation
from rest_framework.test import APIClient

from commissioning.models import Event, Profile
from commissioning.services.profiles import set_preferences
from dialogue.emails import invitation_email
from tests.dialogue.meeting_factories import meeting_in_a
from tests.workers.document_factories import document_scene

pytestmark = pytest.mark.django_db


def signed_in(world, actor="officer_a", **options) -> Client:
    client = Client(**options)
    client.force_login(world.people[actor])
    return client


def html_lang(response) -> str:
    return re.search(r'<html lang="(\w+)">', response.content.decode()).group(1)


# --- pages --------------------------------------------------------------------------------


def test_the_chosen_language_wins_over_accept_language_and_a_left_cookie(world, settings):
    set_preferences(actor=world.people["officer_a"], language="nb")
    client = signed_in(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the last person's switch
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert html_lang(response) == "nb"
    assert "Logg ut" in response.content.decode()
    assert response["Content-Language"] == "nb"


def test_without_a_choice_the_browser_decides_as_before(world):
    response = signed_in(world).get("/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert html_lang(response) == "sv"


def test_the_api_keeps_following_accept_language(world):
    set_preferences(actor=world.people["manager_a"], language="nb")
    response = signed_in(world, "manager_a").get(
        "/api/v1/programmes/", {"page_size": "1000"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert "heltal" in response.json()["error"]["fields"]["page_size"][0]


def test_the_header_switch_saves_a_signed_in_persons_choice(world):
    client = signed_in(world)
    response = client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    assert response.status_code == 302
    assert Profile.objects.get(person=world.people["officer_a"]).language == "nb"
    assert Event.objects.get().verb == "profile.changed"
    # Elsewhere, on another browser with another cookie, the choice follows the person.
    elsewhere = signed_in(world).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(elsewhere) == "nb"


def test_the_header_switch_signed_out_sets_only_the_cookie(db, settings):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/sign-in/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert not Profile.objects.exists()
    assert not Event.objects.exists()


def test_the_header_switch_ignores_a_language_the_product_has_not(world):
    signed_in(world).post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert not Profile.objects.exists()


# --- time zone ----------------------------------------------------------------------------


def shown(moment: datetime.datetime, zone: str, language: str) -> str:
    """The moment as the pages print it (DATETIME_FORMAT) in a zone and language."""
    with translation.override(language):
        local = moment.astimezone(zoneinfo.ZoneInfo(zone))
        return dateformat.format(local, formats.get_format("DATETIME_FORMAT"))


@pytest.fixture
def upcoming(world):
    starts = datetime.datetime.now(datetime.UTC).replace(
        minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=3)
    return meeting_in_a(
        world,
        title="Provider council",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


def test_pages_show_times_in_the_persons_time_zone(world, upcoming):
    set_preferences(actor=world.people["officer_a"], language="sv", time_zone="Asia/Tokyo")
    page = signed_in(world).get("/").content.decode()
    assert shown(upcoming.starts_at, "Asia/Tokyo", "sv") in page
    assert shown(upcoming.starts_at, "Europe/Stockholm", "sv") not in page


def test_without_a_zone_times_are_in_the_installations(world, upcoming, settings):
    set_preferences(actor=world.people["officer_a"], language="sv")
    page = signed_in(world).get("/").content.decode()
    assert shown(upcoming.starts_at, settings.TIME_ZONE, "sv") in page


def test_one_persons_zone_does_not_stay_for_the_next_request(world, upcoming, settings):
    set_preferences(actor=world.people["officer_a"], language="sv", time_zone="Asia/Tokyo")
    set_preferences(actor=world.people["manager_a"], language="sv")
    signed_in(world, "officer_a").get("/")
    page = signed_in(world, "manager_a").get("/").content.decode()
    assert shown(upcoming.starts_at, settings.TIME_ZONE, "sv") in page
    assert shown(upcoming.starts_at, "Asia/Tokyo", "sv") not in page


# --- emails ---------------------------------------------------------------------------------


def test_a_meeting_invitation_is_in_the_invitees_chosen_language(world, upcoming):
    upcoming.arena.purchaser.country = "SE"
    person = world.people["provider_in_a"]
    set_preferences(actor=person, language="nb")
    message = invitation_email(meeting=upcoming, person=person)
    assert message.subject.startswith("Invitasjon")
    assert message.extra_headers["Content-Language"] == "nb"


def test_a_password_reset_email_is_in_the_chosen_language(world):
    person = world.people["provider_in_a"]
    set_preferences(actor=person, language="sv")
    response = Client().post(
        "/account/password/reset/", {"email": person.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "Återställning av lösenord" in message.subject or "lösenord" in message.body


# --- PDFs ordered by the person ------------------------------------------------------------


def test_a_briefing_is_ordered_in_the_persons_language_by_default(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scene = document_scene(world)
    scene.political_body_a.country = "SE"
    scene.political_body_a.save()
    set_preferences(actor=world.people["officer_a"], language="en")
    page = signed_in(world).get(f"/briefings/programmes/{scene.programme_a.id}/")
    order_form = page.content.decode().split('id="id_language"')[1].split("</select>")[0]
    assert re.search(r'<option value="en"[^>]*selected', order_form)


def test_a_document_ordered_through_the_api_without_a_language_is_in_the_persons(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scene = document_scene(world)
    set_preferences(actor=world.people["officer_a"], language="nb")
    client = APIClient()
    client.force_authenticate(world.people["officer_a"])
    response = client.post(
        f"/api/v1/meetings/{scene.meeting.id}/documents/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(scene.purchaser_a.id),
    )
    assert response.status_code == 202, response.json()
    assert response.json()["language"] == "nb"
