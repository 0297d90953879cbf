"""Leaving: a manager or an organisation admin ends a membership. The person keeps their
history and authorship; they lose what the membership gave at once (the pages, their API
tokens, their calendar feed); with no membership left they cannot sign in and their tokens
answer 401."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.test import APIClient

from accounts.services.memberships import end_membership
from commissioning.errors import Conflict, Forbidden
from commissioning.models import Event, Membership, Programme
from dialogue.models import CalendarFeed
from tests.dialogue.factories import InvitationFactory
from tests.dialogue.meeting_factories import meeting_in_a
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
PASSWORD = "a long and unusual passphrase"


def membership_of(person, organisation) -> Membership:
    return Membership.objects.get(person=person, organisation=organisation)


def token_of(person) -> str:
    """An API token as a client gets one: from the token endpoint, with the password."""
    person.set_password(PASSWORD)
    person.save()
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": person.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def end_over_the_api(world, ender: str, membership: Membership, acting_for):
    client = APIClient()
    client.force_authenticate(world.people[ender])
    return client.delete(
        f"/api/v1/memberships/{membership.pk}/", HTTP_X_ACTING_FOR=str(acting_for.pk)
    )


# --- the service and its rule ---------------------------------------------------------------


def test_a_manager_ends_an_officers_membership_and_the_history_stays(world):
    officer = world.people["officer_a"]
    authored = Event.objects.create(
        actor=officer,
        acting_for=world.purchaser_a,
        purchaser=world.purchaser_a,
        verb="programme.updated",
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id=str(world.programme_a.pk),
    )
    membership = membership_of(officer, world.purchaser_a)

    end_membership(
        actor=world.people["manager_a"], acting_for=world.purchaser_a, membership=membership
    )

    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = Event.objects.get(verb="membership.ended")
    assert (event.actor, event.acting_for, event.purchaser) == (
        world.people["manager_a"],
        world.purchaser_a,
        world.purchaser_a,
    )
    assert event.before["person_id"] == officer.pk
    assert event.before["role"] == Role.OFFICER
    authored.refresh_from_db()
    assert authored.actor == officer


@pytest.mark.parametrize(
    ("ender", "acting_for", "member", "organisation", "outcome"),
    [
        ("manager_a", "purchaser_a", "officer_a", "purchaser_a", None),
        ("manager_a", "purchaser_a", "politician_a", "political_body_a", None),
        ("provider_admin", "provider_in_a", "provider_in_a", "provider_in_a", None),
        ("officer_a", "purchaser_a", "manager_a", "purchaser_a", Forbidden),
        ("provider_in_a", "provider_in_a", "provider_admin", "provider_in_a", Forbidden),
        ("manager_a", "purchaser_a", "provider_in_a", "provider_in_a", Forbidden),
        ("provider_admin", "provider_in_a", "network_rep", "network", Forbidden),
        ("manager_b", "purchaser_b", "officer_a", "purchaser_a", Forbidden),
        ("politician_a", "political_body_a", "officer_a", "purchaser_a", Forbidden),
        # The last manager stays: else nobody could invite the purchaser's people again.
        ("manager_a", "purchaser_a", "manager_a", "purchaser_a", Conflict),
    ],
)
def test_who_ends_which_membership(people, ender, acting_for, member, organisation, outcome):
    world = people
    membership = membership_of(world.people[member], getattr(world, organisation))
    events = Event.objects.count()

    def end():
        end_membership(
            actor=world.people[ender],
            acting_for=getattr(world, acting_for),
            membership=membership,
        )

    if outcome is None:
        end()
        assert not Membership.objects.filter(pk=membership.pk).exists()
        return
    with pytest.raises(outcome):
        end()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert Event.objects.count() == events


def test_a_manager_may_leave_when_another_manager_stays(world):
    MembershipFactory(organisation=world.purchaser_a, role=Role.MANAGER)
    manager = world.people["manager_a"]

    end_membership(
        actor=manager,
        acting_for=world.purchaser_a,
        membership=membership_of(manager, world.purchaser_a),
    )

    assert not Membership.objects.filter(person=manager).exists()


# --- over the API: tokens stop working at once ------------------------------------------------


def test_tokens_of_an_ended_membership_stop_working_at_once(world):
    """The officer's only membership ends: the same token answers 401 at the next request,
    on every endpoint, with the message that says whom to ask."""
    officer = world.people["officer_a"]
    client = with_token(token_of(officer))
    programme = f"/api/v1/programmes/{world.programme_a.pk}/"
    assert client.get(programme).status_code == 200

    response = end_over_the_api(
        world, "manager_a", membership_of(officer, world.purchaser_a), world.purchaser_a
    )
    assert response.status_code == 204, response.content

    for path in (programme, "/api/v1/programmes/", "/api/v1/memberships/me/"):
        refused = client.get(path)
        assert refused.status_code == 401, path
        assert refused.json()["error"]["code"] == "no_membership"
    assert client.post("/api/v1/programmes/", {}, format="json").status_code == 401


def test_a_token_keeps_only_what_the_remaining_memberships_give(world):
    """A provider representative who also speaks for another provider: after leaving A's
    participant, the token reads A's programme no more, and still works for the rest."""
    person = world.people["provider_in_a"]
    MembershipFactory(
        person=person, organisation=world.provider_outside, role=Role.PROVIDER_REPRESENTATIVE
    )
    admin = MembershipFactory(
        organisation=world.provider_in_a, role=Role.PROVIDER_REPRESENTATIVE, is_admin=True
    ).person
    client = with_token(token_of(person))
    programme = f"/api/v1/programmes/{world.programme_a.pk}/"
    assert client.get(programme).status_code == 200

    api = APIClient()
    api.force_authenticate(admin)
    response = api.delete(
        f"/api/v1/memberships/{membership_of(person, world.provider_in_a).pk}/",
        HTTP_X_ACTING_FOR=str(world.provider_in_a.pk),
    )
    assert response.status_code == 204, response.content

    assert client.get(programme).status_code == 404
    assert client.get(f"/api/v1/programmes/{world.programme_b.pk}/").status_code == 200
    mine = client.get("/api/v1/memberships/me/").json()["memberships"]
    assert [m["organisation"]["id"] for m in mine] == [world.provider_outside.pk]


def test_a_membership_of_an_organisation_one_does_not_look_after_is_not_found(people):
    world = people
    membership = membership_of(world.people["officer_a"], world.purchaser_a)

    for ender, acting_for in (
        ("manager_b", world.purchaser_b),
        ("provider_admin", world.provider_in_a),
    ):
        response = end_over_the_api(world, ender, membership, acting_for)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    response = end_over_the_api(world, "politician_a", membership, world.political_body_a)
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- the calendar feed ----------------------------------------------------------------------


def test_the_calendar_feed_drops_the_meetings_of_an_organisation_left_at_once(api, people):
    """Invited to A's meeting by name as provider_in_a's representative: after leaving
    provider_in_a (still a member of another provider) the meeting is out of the feed."""
    world = people
    person = world.people["provider_in_a"]
    MembershipFactory(
        person=person, organisation=world.provider_outside, role=Role.PROVIDER_REPRESENTATIVE
    )
    meeting = meeting_in_a(world)
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a, person=person)
    feed = CalendarFeed.objects.create(person=person)
    address = f"/api/v1/calendar/{feed.token}.ics"
    assert meeting.title in api.get(address).content.decode()

    end_membership(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        membership=membership_of(person, world.provider_in_a),
    )

    response = api.get(address)
    assert response.status_code == 200
    assert meeting.title not in response.content.decode()


def test_the_calendar_feed_of_someone_with_no_membership_left_answers_404(api, people):
    world = people
    person = world.people["provider_in_a"]
    meeting = meeting_in_a(world)
    InvitationFactory(meeting=meeting, organisation=world.provider_in_a, person=person)
    feed = CalendarFeed.objects.create(person=person)

    end_membership(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        membership=membership_of(person, world.provider_in_a),
    )

    assert api.get(f"/api/v1/calendar/{feed.token}.ics").status_code == 404


# --- signing in -------------------------------------------------------------------------------


def test_someone_with_no_membership_left_cannot_sign_in(people):
    world = people
    person = world.people["provider_in_a"]
    person.set_password(PASSWORD)
    person.save()
    end_membership(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        membership=membership_of(person, world.provider_in_a),
    )

    response = Client().post("/sign-in/", {"login": "provider_in_a", "password": PASSWORD})

    assert response.status_code == 403
    assert "no longer belongs to any organisation" in response.content.decode()


def test_a_session_loses_the_organisation_left_at_once(people):
    world = people
    person = world.people["provider_in_a"]
    client = Client()
    client.force_login(person)
    assert client.get("/people/").status_code == 403  # not an admin, but signed in

    end_membership(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        membership=membership_of(person, world.provider_in_a),
    )

    assert client.get("/").status_code == 403
    assert client.get(f"/api/v1/programmes/{world.programme_a.pk}/").status_code == 401
