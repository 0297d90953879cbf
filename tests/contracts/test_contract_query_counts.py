"""Contract and obligation lists run a constant number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from contracts.api.serializers import ContractVersionSerializer
from contracts.models import ContractParty
from tests.contracts.factories import (
    ContractFactory,
    ContractPartyFactory,
    ContractVersionFactory,
    ObligationFactory,
    ObligationFulfilmentFactory,
)

MAX_QUERIES = 10


@pytest.fixture
def crowded_world(world):
    for n in range(110):
        contract = ContractFactory(programme=world.programme_a, reference=f"Bulk {n:03}")
        ContractPartyFactory(
            contract=contract,
            organisation=world.provider_in_a,
            role=ContractParty.Role.LEAD_PROVIDER,
        )
        ContractPartyFactory(contract=contract, organisation=world.network)
        ContractVersionFactory(contract=contract, number=2)
        obligation = ObligationFactory(contract=contract, owed_by=world.provider_in_a)
        ObligationFulfilmentFactory(obligation=obligation)
    return world


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ("manager_a", "/api/v1/contracts/"),
        ("provider_in_a", "/api/v1/contracts/"),
        ("network_member", "/api/v1/contracts/"),
        ("politician_a", "/api/v1/contracts/"),
        ("manager_a", "/api/v1/obligations/"),
        ("provider_in_a", "/api/v1/obligations/"),
    ],
)
def test_list_queries_do_not_grow_with_the_page_size(client_for, crowded_world, actor, path):
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        # A real request loads its person afresh; force_authenticate reuses one object.
        policies.forget_standing(crowded_world.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= MAX_QUERIES


def test_the_contract_list_shows_parties_and_current_terms(client_for, crowded_world):
    response = client_for("manager_a").get("/api/v1/contracts/", {"page_size": 100})
    first = response.json()["results"][0]
    assert len(first["parties"]) == 2
    assert first["current_terms"]["number"] == 2
    assert first["version_count"] == 2


def test_a_page_of_contracts_builds_the_terms_serializer_once(
    client_for, crowded_world, monkeypatch
):
    """A ModelSerializer builds its fields from the model each time it is made: one built for
    every row's current terms cost a page of 100 contracts nine tenths of its time."""
    made = []
    original = ContractVersionSerializer.get_fields
    monkeypatch.setattr(
        ContractVersionSerializer, "get_fields", lambda self: made.append(1) or original(self)
    )
    response = client_for("manager_a").get("/api/v1/contracts/", {"page_size": 100})
    assert response.status_code == 200
    assert all(row["current_terms"]["number"] == 2 for row in response.json()["results"])
    assert len(made) == 1
