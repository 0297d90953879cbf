"""Rulebook lists run a constant number of queries, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import policies
from tests.contracts.rulebook_factories import (
    ClauseFactory,
    RulebookFactory,
    RulebookVersionFactory,
)
from tests.factories import ProgrammeFactory

MAX_QUERIES = 10


@pytest.fixture
def crowded_world(world):
    for _n in range(110):
        rulebook = RulebookFactory(
            programme=ProgrammeFactory(
                purchaser=world.purchaser_a, participants=[world.provider_in_a, world.network]
            )
        )
        RulebookVersionFactory(rulebook=rulebook, number=1, status="adopted")
        RulebookVersionFactory(rulebook=rulebook, number=2)
    busy = RulebookFactory(programme=world.programme_a)
    for number in range(1, 111):
        version = RulebookVersionFactory(rulebook=busy, number=number, status="superseded")
    for n in range(110):
        ClauseFactory(version=version, key=str(n + 1))
    world.busy_rulebook = busy
    world.busy_version = version
    return world


@pytest.mark.parametrize("actor", ["manager_a", "provider_in_a", "network_member"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/rulebooks/",
        "/api/v1/rulebooks/{rulebook}/versions/",
        "/api/v1/rulebook-versions/{version}/clauses/",
    ],
)
def test_rulebook_lists_do_not_grow_with_the_page_size(client_for, crowded_world, actor, path):
    client = client_for(actor)
    url = path.format(
        rulebook=crowded_world.busy_rulebook.pk, version=crowded_world.busy_version.pk
    )
    counts = {}
    for size in (10, 100):
        policies.forget_standing(crowded_world.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= MAX_QUERIES


def test_a_version_with_its_clauses_and_its_diff_stay_under_the_budget(
    client_for, crowded_world, django_assert_max_num_queries
):
    client = client_for("manager_a")
    version = crowded_world.busy_version
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/api/v1/rulebook-versions/{version.pk}/")
    assert len(response.json()["clauses"]) == 110
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(
            f"/api/v1/rulebook-versions/{version.pk}/diff/",
            {"against": crowded_world.busy_rulebook.versions.get(number=1).pk},
        )
    assert len(response.json()["added"]) == 110
