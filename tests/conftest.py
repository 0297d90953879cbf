from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from commissioning.models import Membership, Organisation, Programme
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    PersonFactory,
    PoliticalBodyFactory,
    ProgrammeFactory,
    ProviderFactory,
    PurchaserFactory,
)

Role = Membership.Role


@dataclass
class World:
    """Two purchasers, the providers around them and one person per actor: the cast of the
    policy tests (and of the authorisation matrix to come)."""

    purchaser_a: Organisation
    purchaser_b: Organisation
    provider_in_a: Organisation
    provider_outside: Organisation
    network: Organisation
    network_member: Organisation
    political_body_a: Organisation
    programme_a: Programme
    programme_b: Programme
    people: dict


@pytest.fixture
def world(db) -> World:
    purchaser_a = PurchaserFactory(name="Region A")
    purchaser_b = PurchaserFactory(name="Region B")
    provider_in_a = ProviderFactory(name="Provider in A")
    provider_outside = ProviderFactory(name="Provider outside A")
    network = NetworkFactory(name="Network in A")
    network_member = ProviderFactory(name="Network member")
    NetworkMembershipFactory(network=network, provider=network_member)
    political_body_a = PoliticalBodyFactory(name="Committee of A", oversees=purchaser_a)
    programme_a = ProgrammeFactory(
        purchaser=purchaser_a, name="Programme A", participants=[provider_in_a, network]
    )
    programme_b = ProgrammeFactory(
        purchaser=purchaser_b, name="Programme B", participants=[provider_outside]
    )
    cast = {
        "manager_a": (purchaser_a, Role.MANAGER),
        "officer_a": (purchaser_a, Role.OFFICER),
        "manager_b": (purchaser_b, Role.MANAGER),
        "provider_in_a": (provider_in_a, Role.PROVIDER_REPRESENTATIVE),
        "provider_outside": (provider_outside, Role.PROVIDER_REPRESENTATIVE),
        "network_rep": (network, Role.PROVIDER_REPRESENTATIVE),
        "network_member": (network_member, Role.PROVIDER_REPRESENTATIVE),
        "politician_a": (political_body_a, Role.POLITICIAN),
    }
    people = {}
    for name, (organisation, role) in cast.items():
        membership = MembershipFactory(
            person=PersonFactory(username=name), organisation=organisation, role=role
        )
        people[name] = membership.person
    return World(
        purchaser_a=purchaser_a,
        purchaser_b=purchaser_b,
        provider_in_a=provider_in_a,
        provider_outside=provider_outside,
        network=network,
        network_member=network_member,
        political_body_a=political_body_a,
        programme_a=programme_a,
        programme_b=programme_b,
        people=people,
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_for(world):
    """An API client signed in as one actor of the world; None means anonymous."""

    def make(actor: str | None) -> APIClient:
        client = APIClient()
        if actor is not None:
            client.force_authenticate(world.people[actor])
        return client

    return make


@pytest.fixture(autouse=True)
def no_outage_left_over():
    """A test that stopped Redis leaves this process believing the cache or the broker down
    for a few seconds (commissioning.outages): the next test starts without that belief. Nor
    does a test inherit the throttles' counts of the tests before it (the token endpoint
    counts every attempt from 127.0.0.1 for a minute)."""
    from django.core.cache import cache

    from commissioning.api.throttling import LOCAL_COUNTS, OUTAGE
    from workers.publishing import BROKER

    cache.clear()
    LOCAL_COUNTS.clear()
    yield
    OUTAGE.reset()
    BROKER.reset()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: the browser journeys of
    every folder (tests/browser, tests/sso) share it, as Playwright's sync API runs one event
    loop per thread and a second one in the same session fails."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
