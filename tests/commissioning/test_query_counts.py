"""List endpoints run a constant number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from commissioning.services.programmes import update_programme
from tests.factories import ProgrammeFactory, ProviderFactory

MAX_QUERIES = 10


@pytest.fixture
def crowded_world(world):
    providers = ProviderFactory.create_batch(5)
    for n in range(120):
        ProgrammeFactory(purchaser=world.purchaser_a, name=f"Bulk {n:03}", participants=providers)
    for n in range(120):
        update_programme(
            actor=world.people["officer_a"],
            acting_for=world.purchaser_a,
            programme=world.programme_a,
            description=f"revision {n}",
        )
    return world


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ("manager_a", "/api/v1/programmes/"),
        ("provider_in_a", "/api/v1/programmes/"),
        ("manager_a", "/api/v1/organisations/"),
        ("network_member", "/api/v1/organisations/"),
        ("manager_a", "/api/v1/events/"),
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
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= MAX_QUERIES


def test_programme_list_stays_under_the_query_budget(
    client_for, crowded_world, django_assert_max_num_queries
):
    client = client_for("manager_a")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/api/v1/programmes/", {"page_size": 100})
    assert len(response.json()["results"]) == 100
    assert all(len(p["participants"]) == 5 for p in response.json()["results"][:-1])
