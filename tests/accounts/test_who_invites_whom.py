"""Who may invite whom, for every pair of inviter and target: each inviter of the world
(acting for their own organisation) invites to every organisation, in every role, with and
without the organisation-admin right. The expected answer is written out below from the
rules (README "How people join"), not computed by the code under test; a refusal changes
nothing (no invitation, no Event) and raises the error the API and the pages answer with.

The world: purchaser A (manager_a, officer_a) with its committee (politician_a) and a
programme where provider_in_a (provider_admin, an organisation admin, and provider_in_a, a
representative without the right) and the network (network_rep, no admin) take part; the
network's member (no admin) takes part through it; purchaser B (manager_b) with a programme
where provider_outside (no admin) takes part."""

from contextlib import contextmanager

import pytest
from django.db import transaction

from accounts.models import Invitation
from accounts.services.invitations import invite
from commissioning.errors import Conflict, Forbidden, NotFound, RuleViolation
from commissioning.models import Event, Membership
from tests import conftest
from tests.accounts.conftest import add_provider_admin

Role = Membership.Role

# The organisation each inviter acts for.
INVITERS = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "provider_admin": "provider_in_a",
    "provider_in_a": "provider_in_a",
    "network_rep": "network",
    "politician_a": "political_body_a",
    "manager_b": "purchaser_b",
}
TARGETS = [
    "purchaser_a",
    "political_body_a",
    "provider_in_a",
    "network",
    "network_member",
    "provider_outside",
    "purchaser_b",
]
KIND_ROLES = {
    "purchaser_a": {Role.MANAGER, Role.OFFICER},
    "purchaser_b": {Role.MANAGER, Role.OFFICER},
    "political_body_a": {Role.POLITICIAN},
}
PROVIDER_ROLES = {Role.PROVIDER_REPRESENTATIVE}

# What each inviter may see (an invisible organisation answers as one that does not exist):
# purchaser staff see their purchaser, its committee and every provider and network; a
# provider what its programmes bring together; the network also its members.
VISIBLE = {
    "manager_a": {"purchaser_a", "political_body_a", "provider_in_a", "network"}
    | {"network_member", "provider_outside"},
    "officer_a": {"purchaser_a", "political_body_a", "provider_in_a", "network"}
    | {"network_member", "provider_outside"},
    "provider_admin": {"provider_in_a", "purchaser_a", "network"},
    "provider_in_a": {"provider_in_a", "purchaser_a", "network"},
    "network_rep": {"network", "network_member", "purchaser_a", "provider_in_a"},
    "politician_a": {"political_body_a", "purchaser_a", "provider_in_a", "network"},
    "manager_b": {"purchaser_b", "provider_in_a", "network", "network_member"}
    | {"provider_outside"},
}

OK, FIRST = "invited", "first representative"
# Among the visible organisations and fitting roles: what the inviter gets. FIRST: purchaser
# staff invite a provider's first representative, as its admin, while it has none (else 409;
# without the admin right 400). Anything not listed: 403.
GRANTS = {
    "manager_a": {
        "purchaser_a": OK,
        "political_body_a": OK,
        "provider_in_a": Conflict,  # it has an admin, who invites its people
        "network": FIRST,
        "network_member": FIRST,  # takes part through the network
        # provider_outside takes part in none of A's programmes: 403
    },
    "officer_a": {
        # an officer invites no staff and no politicians: 403
        "provider_in_a": Conflict,
        "network": FIRST,
        "network_member": FIRST,
    },
    "provider_admin": {"provider_in_a": OK},
    "provider_in_a": {},  # not an admin
    "network_rep": {},  # not an admin
    "politician_a": {},
    "manager_b": {"purchaser_b": OK, "provider_outside": FIRST},
}


def expected(inviter: str, target: str, role: str, is_admin: bool):
    if target not in VISIBLE[inviter]:
        return NotFound
    if role not in KIND_ROLES.get(target, PROVIDER_ROLES):
        return RuleViolation
    if is_admin and role != Role.PROVIDER_REPRESENTATIVE:
        return RuleViolation
    grant = GRANTS[inviter].get(target, Forbidden)
    if grant == FIRST:
        return OK if is_admin else RuleViolation
    return grant


CASES = [
    pytest.param(inviter, target, role, is_admin, id=f"{inviter}-{target}-{role}-{is_admin}")
    for inviter in INVITERS
    for target in TARGETS
    for role in Role.values
    for is_admin in (False, True)
]


@contextmanager
def rolled_back(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = conftest.world.__wrapped__(None)
            add_provider_admin(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """One world for the module (each test runs in a savepoint of its own inside it)."""
    with rolled_back(django_db_blocker) as world:
        yield world


@pytest.mark.parametrize(("inviter", "target", "role", "is_admin"), CASES)
def test_an_invitation_is_made_only_as_the_rules_say(cast, db, inviter, target, role, is_admin):
    world = cast
    organisations = {name: getattr(world, name) for name in TARGETS}
    acting_for = organisations.get(INVITERS[inviter]) or getattr(world, INVITERS[inviter])
    events, invitations = Event.objects.count(), Invitation.objects.count()
    outcome = expected(inviter, target, role, is_admin)

    def send():
        return invite(
            actor=world.people[inviter],
            acting_for=acting_for,
            email="kim@example.org",
            organisation=organisations[target],
            role=role,
            is_admin=is_admin,
        )

    if outcome == OK:
        invitation = send()
        assert (invitation.organisation, invitation.role) == (organisations[target], role)
        assert invitation.is_admin is is_admin
        assert invitation.invited_by == world.people[inviter]
        assert Event.objects.filter(verb="invitation.created").count() == 1
        return
    with pytest.raises(outcome) as refused:
        send()
    assert type(refused.value) is outcome
    assert str(refused.value.message)
    assert Invitation.objects.count() == invitations
    assert Event.objects.count() == events


def test_every_grant_of_the_table_is_reached():
    """The table is no list of refusals only: every inviter who may invite has a case that
    succeeds, and every kind of refusal is met."""
    outcomes = {expected(*case.values) for case in CASES}
    assert outcomes == {OK, NotFound, RuleViolation, Forbidden, Conflict}
    inviters_who_succeed = {case.values[0] for case in CASES if expected(*case.values) == OK}
    assert inviters_who_succeed == {"manager_a", "officer_a", "provider_admin", "manager_b"}
