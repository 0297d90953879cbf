"""Password reset and change: in the person's language, the same answer whether or not the
address belongs to an account, throttled, and the current password asked before a change."""

import re

import pytest
from django.core import mail
from django.test import Client

from commissioning.models import Membership, Profile
from tests.accounts.two_factor_helpers import PASSWORD, person

pytestmark = pytest.mark.django_db

RESET = "/account/password/reset/"
NEW_PASSWORD = "another-long-password-2027"


def reset_link(message) -> str:
    return re.search(r"http://testserver(/account/password/reset/key/\S+/)", message.body)[1]


def test_the_reset_answers_the_same_whether_or_not_the_address_has_an_account():
    person("sara.svensson", email="sara@region.example")
    known = Client().post(RESET, {"email": "sara@region.example"})
    unknown = Client().post(RESET, {"email": "nobody@region.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/done/"
    known_page = Client().get(known["Location"]).content.decode()
    unknown_page = Client().get(unknown["Location"]).content.decode()
    text = re.compile(r"<main.*</main>", re.S)
    assert text.search(known_page)[0] == text.search(unknown_page)[0]
    assert "If an account has the address you gave" in known_page
    # An email only to the address an account has.
    assert [message.to for message in mail.outbox] == [["sara@region.example"]]


@pytest.mark.parametrize(
    ("country", "subject", "greeting"),
    [
        ("SE", "Återställning av lösenord", "Hej från Beställardialog!"),
        ("NO", "E-post for gjenopprettelse av passord", "Hei fra Bestillerdialog!"),
        ("GB", "Password Reset Email", "Hello from Commissioning dialogue!"),
    ],
)
def test_the_reset_email_is_in_the_persons_language(country, subject, greeting):
    person("sam", email="sam@example.org", country=country)
    # Asked from an English browser: the email follows the person, not the browser.
    Client(HTTP_ACCEPT_LANGUAGE="en").post(RESET, {"email": "sam@example.org"})
    (message,) = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert "/account/password/reset/key/" in message.body


def test_the_persons_own_language_wins_over_their_organisations_country():
    member = person("sam", email="sam@example.org", country="SE")
    Profile.objects.update_or_create(person=member, defaults={"language": "nb"})
    Client().post(RESET, {"email": "sam@example.org"})
    assert mail.outbox[0].subject == "E-post for gjenopprettelse av passord"


def test_the_link_sets_a_new_password_once():
    member = person("sara.svensson", email="sara@region.example")
    client = Client()
    client.post(RESET, {"email": "sara@region.example"})
    link = reset_link(mail.outbox[0])
    # allauth moves the key out of the address (into the session) before showing the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_address = form_page.redirect_chain[-1][0]
    response = client.post(form_address, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    signed_in = Client().post("/sign-in/", {"login": "sara.svensson", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/"
    again = Client().get(link, follow=True)
    assert "The password reset link was invalid" in again.content.decode()


def test_a_new_password_that_is_too_weak_is_refused_with_the_rules_tied_to_the_field():
    person("sara.svensson", email="sara@region.example")
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.post(RESET, {"email": "sara@region.example"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": "abc", "password2": "abc"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'aria-describedby="id_password1_hint id_password1_errors"' in html
    assert "Det här lösenordet är för kort." in html


def test_asking_for_resets_too_often_is_refused_in_the_persons_language():
    person("sara.svensson", email="sara@region.example")
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    # ACCOUNT_RATE_LIMITS["reset_password"]: five a minute per address.
    answers = [client.post(RESET, {"email": "sara@region.example"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    html = answers[-1].content.decode()
    assert '<html lang="sv">' in html
    assert "För många försök på kort tid." in html
    assert len(mail.outbox) == 5


def test_an_unknown_address_is_throttled_the_same_way():
    client = Client()
    answers = [client.post(RESET, {"email": "nobody@region.example"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert "Too many attempts in a short time." in answers[-1].content.decode()


def test_changing_the_password_needs_the_current_one():
    member = person("sara.svensson", role=Membership.Role.PROVIDER_REPRESENTATIVE)
    client = Client()
    client.force_login(member)
    wrong = client.post(
        "/account/password/change/",
        {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Please type your current password." in wrong.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    right = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert right.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # Still signed in on this browser (ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off).
    assert client.get("/").status_code == 200
