"""The security-key (WebAuthn) pages: each person reaches only their own keys, and the pages
render in the product's frame. Registering and signing in with a key is driven through a
browser's virtual authenticator in tests/browser/test_two_factor_journey.py."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from tests.accounts.two_factor_helpers import PASSWORD, person

pytestmark = pytest.mark.django_db


def key_of(member, name="Blue key") -> Authenticator:
    """A key as the pages that list, rename and remove keys read it (its name, and whether
    it is a passkey); the credential itself is used only at sign-in."""
    return Authenticator.objects.create(
        user=member, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


def confirmed(member) -> Client:
    """Signed in, and having just typed the password again, as allauth asks before a change."""
    client = Client()
    client.force_login(member)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    return client


def test_the_list_of_keys_shows_ones_own_keys():
    """It was a 500: allauth's template loads django.contrib.humanize, which was not installed."""
    member = person("kim.keys")
    key_of(member)
    key_of(person("other.person"), name="Someone else's key")
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(member)
    response = client.get("/account/2fa/webauthn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Blue key" in html
    assert "Someone else's key" not in html
    assert "Säkerhetsnycklar" in html
    assert "Inte använd än." in html


@pytest.mark.parametrize("action", ["edit", "remove"])
def test_another_persons_key_answers_as_if_it_did_not_exist(action):
    key = key_of(person("kim.keys"))
    client = confirmed(person("other.person"))
    assert client.get(f"/account/2fa/webauthn/keys/{key.pk}/{action}/").status_code == 404
    assert (
        client.post(f"/account/2fa/webauthn/keys/{key.pk}/{action}/", {"name": "Mine"}).status_code
        == 404
    )
    key.refresh_from_db()
    assert key.data["name"] == "Blue key"


def test_a_key_is_renamed_and_removed_by_its_owner():
    member = person("kim.keys")
    key = key_of(member)
    client = confirmed(member)
    assert (
        client.post(f"/account/2fa/webauthn/keys/{key.pk}/edit/", {"name": "Red key"}).status_code
        == 302
    )
    key.refresh_from_db()
    assert key.data["name"] == "Red key"
    assert client.post(f"/account/2fa/webauthn/keys/{key.pk}/remove/").status_code == 302
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_the_add_page_hands_the_browser_its_options_in_a_data_block():
    member = person("kim.keys")
    html = confirmed(member).get("/account/2fa/webauthn/add/").content.decode()
    # Data for the static script, in a block the browser does not run (CSP: script-src 'self').
    data = html.split('<script id="js_data" type="application/json">')[1].split("</script>")[0]
    options = json.loads(data)["creation_options"]["publicKey"]
    assert options["rp"]["id"] == "testserver"
    assert options["user"]["name"] == member.email
    assert '<script src="/static/accounts/webauthn-errors.js">' in html
    assert 'id="webauthn-messages" type="application/json"' in html
    assert "<script>" not in html
