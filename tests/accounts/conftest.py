"""The world of tests/conftest.py, with an organisation admin of the provider taking part in
A's programme (`provider_admin`): the cast of the invitation and leaving tests."""

import pytest

from commissioning.models import Membership
from tests.factories import MembershipFactory, PersonFactory

Role = Membership.Role


def add_provider_admin(world) -> None:
    """provider_in_a gets an admin; the network and the network's member have none."""
    world.people["provider_admin"] = MembershipFactory(
        person=PersonFactory(username="provider_admin"),
        organisation=world.provider_in_a,
        role=Role.PROVIDER_REPRESENTATIVE,
        is_admin=True,
    ).person


@pytest.fixture
def people(world):
    add_provider_admin(world)
    return world
