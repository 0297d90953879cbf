"""The profile page: reached from the header of every page; name, email addresses,
language and time zone, calendar feed, API tokens and memberships; every write through its
service with an Event, every refusal beside its field with nothing saved."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.models import ApiToken
from accounts.services.tokens import create_api_token
from commissioning.errors import RuleViolation
from commissioning.models import Event, Membership, Profile
from commissioning.services.profiles import set_preferences
from dialogue.models import CalendarFeed

pytestmark = pytest.mark.django_db


def signed_in(world, actor="officer_a") -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def verbs() -> list[str]:
    return list(Event.objects.order_by("id").values_list("verb", flat=True))


def test_every_page_links_to_the_profile_beside_sign_out(world):
    home = text(signed_in(world).get("/"))
    assert '<a href="/profile/">Profile</a>' in home
    assert home.index('href="/profile/"') < home.index("Sign out")


def test_the_profile_shows_addresses_memberships_and_the_security_links(world):
    person = world.people["network_rep"]
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    Membership.objects.filter(person=person).update(is_admin=True)
    page = text(signed_in(world, "network_rep").get("/profile/"))
    assert person.email in page
    assert "verified" in page
    assert 'href="/account/email/"' in page
    assert "Network in A: Provider representative · organisation admin" in page
    assert 'href="/account/password/change/"' in page
    assert 'href="/account/2fa/"' in page


def test_a_name_is_saved_with_an_event_that_carries_no_password_hash(world):
    person = world.people["officer_a"]
    person.set_password("a-long-test-password-2026")
    person.save()
    response = signed_in(world).post("/profile/name/", {"first_name": " Olle ", "last_name": "Ek"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Olle", "Ek")
    event = Event.objects.get(verb="person.renamed")
    assert event.after == {"first_name": "Olle", "last_name": "Ek"}
    assert "password" not in str(event.before) + str(event.after)


def test_a_name_too_long_is_refused_beside_the_field_and_nothing_saved(world):
    response = signed_in(world).post("/profile/name/", {"first_name": "x" * 151, "last_name": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved yet" in page
    assert 'id="id_first_name_errors"' in page
    assert world.people["officer_a"].first_name != "x" * 151
    assert verbs() == []


def test_language_and_time_zone_are_saved_and_the_next_page_is_in_that_language(world):
    client = signed_in(world)
    response = client.post(
        "/profile/preferences/", {"language": "nb", "time_zone": "Europe/Oslo"}, follow=True
    )
    profile = Profile.objects.get(person=world.people["officer_a"])
    assert (profile.language, profile.time_zone) == ("nb", "Europe/Oslo")
    assert verbs() == ["profile.changed"]
    page = text(response)
    assert '<html lang="nb">' in page
    assert "Språket og tidssonen din er lagret." in page
    assert "Europe/Oslo" in page


def test_an_unknown_time_zone_is_refused_and_nothing_saved(world):
    response = signed_in(world).post(
        "/profile/preferences/", {"language": "", "time_zone": "Mars/Olympus_Mons"}
    )
    assert response.status_code == 400
    assert 'id="id_time_zone_errors"' in text(response)
    assert not Profile.objects.filter(time_zone="Mars/Olympus_Mons").exists()
    assert verbs() == []


def test_the_service_takes_any_zone_of_the_tz_database_and_no_other(world):
    person = world.people["officer_a"]
    assert set_preferences(actor=person, time_zone="Asia/Tokyo").time_zone == "Asia/Tokyo"
    with pytest.raises(RuleViolation) as refused:
        set_preferences(actor=person, time_zone="../../etc/passwd")
    assert refused.value.fields["time_zone"]
    # The zone chosen outside the list stays offered on the page.
    assert '<option value="Asia/Tokyo" selected>' in text(signed_in(world).get("/profile/"))


def test_saving_unchanged_preferences_records_no_event(world):
    client = signed_in(world)
    client.post("/profile/preferences/", {"language": "sv", "time_zone": ""})
    client.post("/profile/preferences/", {"language": "sv", "time_zone": ""})
    assert verbs() == ["profile.changed"]


def test_a_new_token_is_shown_once_and_stored_nowhere(world):
    client = signed_in(world)
    response = client.post("/profile/tokens/", {"name": "Reporting script"})
    assert response.status_code == 200
    page = text(response)
    secret = re.search(r'id="new-token" value="([^"]+)"', page).group(1)
    assert "shown only this once" in page
    token = ApiToken.objects.get()
    assert token.name == "Reporting script"
    assert secret.startswith(token.prefix)
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    assert secret not in out.getvalue()
    profile_page = text(client.get("/profile/"))
    assert "Reporting script" in profile_page
    assert secret not in profile_page
    assert verbs() == ["api_token.created"]


def test_a_token_without_a_name_is_refused_beside_the_field(world):
    response = signed_in(world).post("/profile/tokens/", {"name": "  "})
    assert response.status_code == 400
    assert 'id="id_name_errors"' in text(response)
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_the_token_stops_working(world):
    token, secret = create_api_token(actor=world.people["officer_a"], name="Old script")
    client = signed_in(world)
    confirm = client.get(f"/profile/tokens/{token.id}/revoke/")
    assert confirm.status_code == 200
    assert "stops working at once" in text(confirm)
    assert ApiToken.objects.filter(pk=token.pk).exists()
    response = client.post(f"/profile/tokens/{token.id}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert verbs()[-1] == "api_token.revoked"
    api = Client().get("/api/v1/programmes/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.status_code == 401


def test_another_persons_token_answers_404_and_stays(world):
    token, _secret = create_api_token(actor=world.people["manager_b"], name="Theirs")
    client = signed_in(world)
    events = Event.objects.count()
    assert client.get(f"/profile/tokens/{token.id}/revoke/").status_code == 404
    assert client.post(f"/profile/tokens/{token.id}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert Event.objects.count() == events


def test_the_calendar_feed_is_made_shown_and_reset(world):
    client = signed_in(world)
    assert "Make my calendar feed address" in text(client.get("/profile/"))
    client.post("/profile/calendar-feed/")
    feed = CalendarFeed.objects.get(person=world.people["officer_a"])
    page = text(client.get("/profile/"))
    assert f"/api/v1/calendar/{feed.token}.ics" in page
    old = feed.token
    client.post("/profile/calendar-feed/reset/")
    feed.refresh_from_db()
    assert feed.token != old
    assert verbs() == ["calendar_feed.created", "calendar_feed.reset"]
    assert Client().get(f"/api/v1/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/api/v1/calendar/{feed.token}.ics").status_code == 200


def test_the_profile_page_is_in_swedish_and_norwegian(world):
    set_preferences(actor=world.people["officer_a"], language="sv")
    assert "Din profil" in text(signed_in(world).get("/profile/"))
    set_preferences(actor=world.people["officer_a"], language="nb")
    assert "Din profil" in text(signed_in(world).get("/profile/"))
    assert "API-nøkler" in text(signed_in(world).get("/profile/"))


def test_signed_out_the_profile_sends_to_sign_in(db):
    response = Client().get("/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
