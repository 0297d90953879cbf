"""Fixtures of the contract tests, imported by each test module (tests/contracts/ is shared
with the rulebook tests, so no conftest is claimed here)."""

import pytest

from contracts.models import ContractParty
from tests.contracts.factories import ContractFactory, ContractPartyFactory

# The organisation each actor of the `world` acts for.
ACTS_FOR = {
    "manager_a": "purchaser_a",
    "officer_a": "purchaser_a",
    "manager_b": "purchaser_b",
    "provider_in_a": "provider_in_a",
    "provider_outside": "provider_outside",
    "network_rep": "network",
    "network_member": "network_member",
    "politician_a": "political_body_a",
}


@pytest.fixture
def acting(world):
    """The X-Acting-For header of an actor, for client.post(..., **acting("manager_a"))."""

    def headers(actor: str | None) -> dict:
        if actor is None:
            return {}
        return {"HTTP_X_ACTING_FOR": str(getattr(world, ACTS_FOR[actor]).id)}

    return headers


@pytest.fixture
def make_contract(world):
    """A contract of purchaser A's programme in a given status, with Provider in A as its
    lead provider unless told otherwise."""

    def make(status="draft", *, lead=True, **terms):
        contract = ContractFactory(programme=world.programme_a, status=status, terms=terms)
        if lead:
            ContractPartyFactory(
                contract=contract,
                organisation=world.provider_in_a,
                role=ContractParty.Role.LEAD_PROVIDER,
            )
        return contract

    return make
