"""Invitations and memberships over the API: the house's conventions (X-Acting-For, the one
error shape, ids in bodies as the person sees them, writers decided before the body) and
lists scoped to what the caller looks after."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Invitation
from accounts.services.invitations import invite
from commissioning import policies
from commissioning.models import Event, Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
INVITATIONS = "/api/v1/invitations/"
REP = Role.PROVIDER_REPRESENTATIVE.value


def post(client_for, world, actor, body, acting_for=None, path=INVITATIONS):
    acting_for = acting_for or world.purchaser_a
    return client_for(actor).post(path, body, format="json", HTTP_X_ACTING_FOR=str(acting_for.pk))


def officer_invitation(world, email="kim@example.org", **extra) -> Invitation:
    """Purchaser A's manager invites an officer of A (the tests' most common invitation)."""
    return invite(
        actor=world.people["manager_a"],
        acting_for=world.purchaser_a,
        email=email,
        organisation=world.purchaser_a,
        role=Role.OFFICER,
        **extra,
    )


def test_a_manager_invites_an_officer(client_for, world):
    response = post(
        client_for,
        world,
        "manager_a",
        {"email": "kim@example.org", "organisation": world.purchaser_a.pk, "role": "officer"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["organisation"]["id"] == world.purchaser_a.pk
    assert body["invited_by"]["username"] == "manager_a"
    assert body["is_admin"] is False
    assert "key" not in body
    assert Invitation.objects.get().key not in response.content.decode()


def test_an_organisation_one_may_not_see_answers_as_one_that_does_not_exist(client_for, world):
    """Purchaser B is hidden from A's manager: its id and an id
    that does not exist get the same answer, word for word but the id."""
    hidden = post(
        client_for,
        world,
        "manager_a",
        {"email": "kim@example.org", "organisation": world.purchaser_b.pk, "role": "officer"},
    )
    missing = post(
        client_for,
        world,
        "manager_a",
        {"email": "kim@example.org", "organisation": 999999, "role": "officer"},
    )

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["error"]["fields"].keys() == {"organisation"}
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "invalid"
    assert hidden.content.decode().replace(str(world.purchaser_b.pk), "ID") == (
        missing.content.decode().replace("999999", "ID")
    )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("actor", "acting_for", "body", "status", "code"),
    [
        # An officer grants no staff role.
        (
            "officer_a",
            "purchaser_a",
            {"organisation": "purchaser_a", "role": "manager"},
            403,
            "not_manager",
        ),
        # A politician is refused before the body is read.
        ("politician_a", "political_body_a", {}, 403, "read_only"),
        # A role the organisation's kind has not.
        (
            "manager_a",
            "purchaser_a",
            {"organisation": "purchaser_a", "role": "politician"},
            400,
            "rule_violation",
        ),
        # A provider's first representative is its admin.
        (
            "manager_a",
            "purchaser_a",
            {"organisation": "network", "role": REP},
            400,
            "rule_violation",
        ),
        # A provider of none of A's programmes.
        (
            "manager_a",
            "purchaser_a",
            {"organisation": "provider_outside", "role": REP, "is_admin": True},
            403,
            "not_taking_part",
        ),
        # A representative without the admin right.
        (
            "provider_in_a",
            "provider_in_a",
            {"organisation": "provider_in_a", "role": REP},
            403,
            "not_organisation_admin",
        ),
        # Unknown fields are refused, not ignored.
        (
            "manager_a",
            "purchaser_a",
            {"organisation": "purchaser_a", "role": "officer", "key": "x"},
            400,
            "invalid",
        ),
    ],
)
def test_refusals_answer_in_the_error_shape_and_change_nothing(
    client_for, world, actor, acting_for, body, status, code
):
    if "organisation" in body:
        body = {**body, "organisation": getattr(world, body["organisation"]).pk}
    body = {"email": "kim@example.org", **body} if body else body
    events = Event.objects.count()

    response = post(client_for, world, actor, body, acting_for=getattr(world, acting_for))

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert not Invitation.objects.exists()
    assert Event.objects.count() == events


def test_a_second_invitation_answers_409_with_the_waiting_ones_id(client_for, world):
    invitation = officer_invitation(world)

    response = post(
        client_for,
        world,
        "manager_a",
        {"email": "KIM@example.org", "organisation": world.purchaser_a.pk, "role": "officer"},
    )

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"invitation": invitation.pk}


def test_messages_follow_the_callers_language(client_for, world):
    response = client_for("officer_a").post(
        INVITATIONS,
        {"email": "kim@example.org", "organisation": world.purchaser_a.pk, "role": "manager"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.pk),
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 403
    assert "Bara en beställarchef på Region A" in response.json()["error"]["message"]


def test_the_list_holds_what_the_caller_looks_after(client_for, people):
    world = people
    to_a = officer_invitation(world)
    to_provider = invite(
        actor=world.people["provider_admin"],
        acting_for=world.provider_in_a,
        email="colleague@example.org",
        organisation=world.provider_in_a,
        role=Role.PROVIDER_REPRESENTATIVE,
    )
    first_of_network = invite(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        email="first@example.org",
        organisation=world.network,
        role=Role.PROVIDER_REPRESENTATIVE,
        is_admin=True,
    )

    def listed(actor):
        response = client_for(actor).get(INVITATIONS)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert listed("manager_a") == {to_a.pk, first_of_network.pk}
    assert listed("officer_a") == {first_of_network.pk}
    assert listed("provider_admin") == {to_provider.pk}
    assert listed("manager_b") == set()
    assert listed("provider_in_a") == set()
    assert listed("politician_a") == set()
    assert client_for("manager_b").get(f"{INVITATIONS}{to_a.pk}/").status_code == 404
    status = client_for("manager_a").get(f"{INVITATIONS}?status=pending")
    assert {row["id"] for row in status.json()["results"]} == {to_a.pk, first_of_network.pk}


def test_resend_and_revoke(client_for, world):
    invitation = officer_invitation(world)
    old_key = invitation.key

    resent = post(client_for, world, "manager_a", {}, path=f"{INVITATIONS}{invitation.pk}/resend/")
    assert resent.status_code == 200, resent.content
    invitation.refresh_from_db()
    assert invitation.key != old_key

    hidden = post(
        client_for,
        world,
        "manager_b",
        {},
        acting_for=world.purchaser_b,
        path=f"{INVITATIONS}{invitation.pk}/revoke/",
    )
    assert hidden.status_code == 404
    revoked = post(client_for, world, "manager_a", {}, path=f"{INVITATIONS}{invitation.pk}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    again = post(client_for, world, "manager_a", {}, path=f"{INVITATIONS}{invitation.pk}/revoke/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invitation_revoked"


def test_memberships_of_what_the_caller_looks_after(client_for, people):
    world = people

    def listed(actor, query=""):
        response = client_for(actor).get(f"/api/v1/memberships/{query}")
        assert response.status_code == 200, response.content
        return {
            (row["person"]["username"], row["organisation"]["id"])
            for row in response.json()["results"]
        }

    assert listed("manager_a") == {
        ("manager_a", world.purchaser_a.pk),
        ("officer_a", world.purchaser_a.pk),
        ("politician_a", world.political_body_a.pk),
    }
    assert listed("manager_a", f"?organisation={world.political_body_a.pk}") == {
        ("politician_a", world.political_body_a.pk)
    }
    assert listed("provider_admin") == {
        ("provider_admin", world.provider_in_a.pk),
        ("provider_in_a", world.provider_in_a.pk),
    }
    assert listed("officer_a") == set()
    assert listed("provider_in_a") == set()
    # The existing address of the person's own memberships is untouched.
    assert client_for("officer_a").get("/api/v1/memberships/me/").status_code == 200
    hidden = client_for("manager_a").get(
        f"/api/v1/memberships/?organisation={world.purchaser_b.pk}"
    )
    assert hidden.status_code == 400


@pytest.mark.parametrize("path", [INVITATIONS, "/api/v1/memberships/"])
def test_the_lists_run_as_many_queries_for_100_rows_as_for_10(client_for, world, path):
    for n in range(120):
        officer_invitation(world, email=f"invited{n}@example.org")
        MembershipFactory(organisation=world.purchaser_a, role=Role.OFFICER)
    client = client_for("manager_a")
    counts = {}
    for size in (10, 100):
        policies.forget_standing(world.people["manager_a"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= 10
