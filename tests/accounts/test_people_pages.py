"""The "People" page: members with role and admin right, the invitations not yet accepted
(send again, revoke), the invitation form, and ending a membership after a confirmation;
in the navigation of those who may use it."""

import pytest
from django.test import Client

from accounts.models import Invitation
from accounts.services.invitations import invite
from commissioning.models import Event, Membership

pytestmark = pytest.mark.django_db
Role = Membership.Role


def signed_in(world, name, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.people[name])
    return client


def test_a_manager_sees_the_purchasers_and_its_committees_people(people):
    world = people
    response = signed_in(world, "manager_a").get("/people/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Members of Region A" in text
    assert "Members of Committee of A" in text
    for name in ("manager_a", "officer_a", "politician_a"):
        assert f"{world.people[name].email}" in text
    form = response.context["form"]
    choices = dict(form.fields["organisation"].choices)
    assert [name for _id, name in choices["Your organisations"]] == ["Committee of A", "Region A"]
    # provider_in_a has an admin; the network and its member have none.
    assert [name for _id, name in choices["Providers taking part, without an admin yet"]] == [
        "Network in A",
        "Network member",
    ]


def test_an_officer_invites_only_first_representatives(people):
    response = signed_in(people, "officer_a").get("/people/")

    assert response.status_code == 200
    form = response.context["form"]
    assert [label for label, _o in form.fields["organisation"].choices] == [
        "Providers taking part, without an admin yet"
    ]
    assert [value for value, _l in form.fields["role"].choices] == [Role.PROVIDER_REPRESENTATIVE]
    assert response.context["groups"] == []
    assert "The commissioning managers of Region A invite its managers" in (
        response.content.decode()
    )


def test_inviting_from_the_page(people):
    world = people
    client = signed_in(world, "manager_a")

    response = client.post(
        "/people/invite/",
        {
            "email": "kim@example.org",
            "organisation": world.purchaser_a.pk,
            "role": Role.OFFICER,
            "language": "en",
        },
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.language) == (
        "kim@example.org",
        Role.OFFICER,
        "en",
    )
    page = client.get("/people/").content.decode()
    assert "The invitation to kim@example.org is on its way" in page
    assert "Send again to kim@example.org" in page


def test_a_refused_invitation_comes_back_with_what_was_typed_and_the_reason(people):
    world = people
    response = signed_in(world, "manager_a").post(
        "/people/invite/",
        {
            "email": "kim@example.org",
            "organisation": world.network.pk,
            "role": Role.PROVIDER_REPRESENTATIVE,
        },
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "error-summary" in text
    assert "is its organisation admin" in text
    assert 'value="kim@example.org"' in text
    assert not Invitation.objects.exists()


def test_a_representative_without_the_admin_right_is_told_whom_to_ask(people):
    world = people
    world.people["provider_admin"].first_name = "Petra"
    world.people["provider_admin"].last_name = "Admin"
    world.people["provider_admin"].save()

    response = signed_in(world, "provider_in_a").get("/people/")

    assert response.status_code == 403
    assert "ask Petra Admin" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("manager_a", True),
        ("officer_a", True),
        ("provider_admin", True),
        ("provider_in_a", False),
        ("network_rep", False),
        ("politician_a", False),
    ],
)
def test_the_navigation_shows_people_to_those_who_may_use_it(people, name, shown):
    response = signed_in(people, name).get("/")

    links = [link["label"] for link in response.context["navigation"]]
    assert ("People" in links) is shown


def test_an_organisation_admin_ends_a_colleagues_membership_after_confirming(people):
    world = people
    client = signed_in(world, "provider_admin")
    membership = Membership.objects.get(person=world.people["provider_in_a"])

    confirm = client.get(f"/people/memberships/{membership.pk}/end/")
    assert confirm.status_code == 200
    assert "lose access to the organisation" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    ended = client.post(f"/people/memberships/{membership.pk}/end/")

    assert ended.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Event.objects.filter(verb="membership.ended").count() == 1


def test_a_membership_one_does_not_look_after_is_not_found(people):
    world = people
    membership = Membership.objects.get(person=world.people["officer_a"])

    for name in ("manager_b", "provider_admin"):
        response = signed_in(world, name).post(f"/people/memberships/{membership.pk}/end/")
        assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_resending_and_revoking_from_the_page(people):
    world = people
    invitation = invite(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        email="colleague@example.org",
        organisation=world.provider_in_a,
        role=Role.PROVIDER_REPRESENTATIVE,
    )
    client = signed_in(world, "provider_admin")
    key = invitation.key

    assert client.post(f"/people/invitations/{invitation.pk}/resend/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.key != key
    assert client.post(f"/people/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    again = client.post(f"/people/invitations/{invitation.pk}/revoke/")
    assert again.status_code == 409
    outsider = signed_in(world, "manager_b").post(f"/people/invitations/{invitation.pk}/resend/")
    assert outsider.status_code == 404


def test_the_page_is_in_swedish_for_a_swedish_reader(people):
    response = signed_in(people, "manager_a", language="sv").get("/people/")

    text = response.content.decode()
    assert "Medlemmar på Region A" in text
    assert "Bjud in någon" in text
