"""The page an invitation's link opens: someone new sets a password and lands signed in on
the home page, acting for the organisation; someone with an account signs in and joins;
revoked, expired, used and replaced links answer 410 with a page that says whom to ask, in
the invitation's language, and a link nobody signed answers 404."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts import links
from accounts.models import IdentityProviderRule, Invitation
from accounts.services.invitations import invite, resend_invitation, revoke_invitation
from commissioning.models import Membership
from tests.accounts.test_invitation_api import officer_invitation
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
PASSWORD = "a long and unusual passphrase"


def join(client, invitation, **fields):
    data = {
        "first_name": "Kim",
        "last_name": "Larsen",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(links.invitation_path(invitation), data)


def test_someone_new_sets_a_password_and_lands_signed_in_acting_for_the_organisation(world):
    invitation = officer_invitation(world, language="en")
    client = Client()

    page = client.get(links.invitation_path(invitation))
    assert page.status_code == 200
    assert "Join Region A" in page.content.decode()
    response = join(client, invitation)

    assert response.status_code == 302
    assert response["Location"] == "/"
    kim = get_user_model().objects.get(email="kim@example.org")
    assert kim.check_password(PASSWORD)
    assert Membership.objects.filter(
        person=kim, organisation=world.purchaser_a, role=Role.OFFICER
    ).exists()
    assert EmailAddress.objects.filter(user=kim, verified=True, primary=True).exists()
    home = client.get("/")
    assert home.status_code == 200
    assert client.session["acting_for"] == world.purchaser_a.pk
    assert "you are now commissioning officer of Region A" in home.content.decode()


def test_the_page_speaks_the_invitations_language_unless_the_visitor_chose_one(world):
    invitation = officer_invitation(world)  # Region A is Swedish
    client = Client()

    swedish = client.get(links.invitation_path(invitation), HTTP_ACCEPT_LANGUAGE="en")
    assert swedish["Content-Language"] == "sv"
    assert "Gå med i Region A" in swedish.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    norwegian = client.get(links.invitation_path(invitation))
    assert "Bli med i Region A" in norwegian.content.decode()


def test_a_weak_or_mistyped_password_is_refused_beside_its_field(world):
    invitation = officer_invitation(world, language="en")
    client = Client()

    for password1, password2, words in (
        ("password", "password", "This password is too common"),
        (PASSWORD, PASSWORD + "x", "The two passwords differ"),
        ("12345678901", "12345678901", "This password is entirely numeric"),
    ):
        response = join(client, invitation, password1=password1, password2=password2)
        assert response.status_code == 400
        text = response.content.decode()
        assert "error-summary" in text
        assert words in text
        assert 'aria-invalid="true"' in text
    assert not get_user_model().objects.filter(email="kim@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_used_link_answers_410(world):
    invitation = officer_invitation(world, language="en")
    join(Client(), invitation)

    response = Client().get(links.invitation_path(invitation))

    assert response.status_code == 410
    assert "Invitation already used" in response.content.decode()
    assert join(Client(), invitation).status_code == 410


def test_a_revoked_link_says_whom_to_ask_in_the_organisations_language(world):
    manager = world.people["manager_a"]
    manager.first_name, manager.last_name = "Anna", "Lind"
    manager.save()
    invitation = officer_invitation(world)
    revoke_invitation(actor=manager, acting_for=world.purchaser_a, invitation=invitation)

    response = Client().get(links.invitation_path(invitation), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    text = response.content.decode()
    assert "Inbjudan återkallad" in text
    assert "be Anna Lind (Region A) att bjuda in dig igen" in text
    assert '<html lang="sv">' in text


def test_an_expired_link_answers_410(world):
    invitation = officer_invitation(world, language="en")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = Client().get(links.invitation_path(invitation))

    assert response.status_code == 410
    assert "Invitation expired" in response.content.decode()


def test_the_link_of_an_email_a_resend_replaced_answers_410(world):
    invitation = officer_invitation(world, language="en")
    old = links.invitation_path(invitation)
    invitation = resend_invitation(
        actor=world.people["manager_a"], acting_for=world.purchaser_a, invitation=invitation
    )

    assert Client().get(old).status_code == 410
    assert "Invitation replaced" in Client().get(old).content.decode()
    assert Client().get(links.invitation_path(invitation)).status_code == 200


def test_a_tampered_or_made_up_link_answers_404(world):
    invitation = officer_invitation(world)
    token = links.signed_token(invitation)
    for bad in (token[:-2] + "xx", "not-a-link", token.replace(token[:4], "eyJp", 1) + "a"):
        response = Client().get(f"/invitations/{bad}/")
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()


def test_someone_with_an_account_signs_in_and_joins(world):
    outsider = world.people["provider_outside"]
    outsider.set_password(PASSWORD)
    outsider.save()
    invitation = officer_invitation(world, email=outsider.email, language="en")
    client = Client()
    path = links.invitation_path(invitation)

    page = client.get(path)
    assert "You already have an account" in page.content.decode()
    signed_in = client.post(
        f"/sign-in/?next={path}", {"login": outsider.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == path
    assert "Join Region A" in client.get(path).content.decode()
    joined = client.post(path)

    assert joined.status_code == 302
    assert Membership.objects.filter(person=outsider, organisation=world.purchaser_a).exists()
    assert client.session["acting_for"] == world.purchaser_a.pk


def test_someone_whose_memberships_all_ended_signs_in_to_accept_a_new_invitation(world):
    """With no membership left the sign-in page refuses them, except to come back to the
    invitation whose link they opened in this browser."""
    person = world.people["provider_outside"]
    person.set_password(PASSWORD)
    person.save()
    Membership.objects.filter(person=person).delete()
    refused = Client().post("/sign-in/", {"login": person.username, "password": PASSWORD})
    assert refused.status_code == 403
    invitation = officer_invitation(world, email=person.email)
    client = Client()
    path = links.invitation_path(invitation)
    client.get(path)

    signed_in = client.post(
        f"/sign-in/?next={path}", {"login": person.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.post(path).status_code == 302

    assert Membership.objects.filter(person=person, organisation=world.purchaser_a).exists()


def test_signed_in_as_someone_else_the_page_says_so_and_changes_nothing(client_for, world):
    invitation = officer_invitation(world, language="en")
    client = Client()
    client.force_login(world.people["manager_b"])

    for method in (client.get, client.post):
        response = method(links.invitation_path(invitation))
        assert response.status_code == 403
        assert "you are signed in as" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_single_sign_on_is_offered_when_an_identity_provider_is_set_up(world):
    invitation = officer_invitation(world, language="en")
    path = links.invitation_path(invitation)
    assert "Continue with" not in Client().get(path).content.decode()
    # As the README tells an administrator: the provider, and its rule (a provider without a
    # rule is neither offered nor usable).
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="region-a",
        name="Region A login",
        client_id="dialogue",
        secret="s3cret",
        settings={"server_url": "https://login.region-a.example/", "oauth_pkce_enabled": True},
    )
    IdentityProviderRule.objects.create(app=app, allowed_email_domains="region-a.example")

    text = Client().get(path).content.decode()

    assert "Continue with Region A login" in text
    assert "/account/oidc/region-a/login/" in text


def test_a_first_representative_becomes_the_organisations_admin(world):
    network = NetworkFactory(name="Network of A's programme")
    world.programme_a.participation_set.create(organisation=network)
    invitation = invite(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        email="first@example.org",
        organisation=network,
        role=Role.PROVIDER_REPRESENTATIVE,
        is_admin=True,
    )

    join(Client(), invitation)

    membership = Membership.objects.get(organisation=network)
    assert membership.is_admin
    assert membership.person.email == "first@example.org"


def test_the_person_who_accepted_comes_back_to_their_home_page_not_to_a_used_link(world):
    """As after single sign-on, which accepts the invitation and returns to its link."""
    invitation = officer_invitation(world, language="en")
    client = Client()
    join(client, invitation)

    response = client.get(links.invitation_path(invitation))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["acting_for"] == world.purchaser_a.pk
