"""Who reads which trust pulse results: the eight actors of the world, and anonymous."""

import pytest

from tests.factories import MembershipFactory
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/trust/results/"


@pytest.fixture
def answered(world):
    """Three answers from provider_in_a and one from the network, on programme A."""
    for organisation, count in ((world.provider_in_a, 3), (world.network, 1)):
        for _ in range(count):
            person = MembershipFactory(
                organisation=organisation, role="provider_representative"
            ).person
            PulseAnswerFactory(
                pulse=TrustPulseFactory(
                    person=person,
                    organisation=organisation,
                    purchaser=world.purchaser_a,
                    programme=world.programme_a,
                ),
                good_faith=4,
            )
    return world


# actor -> (status, number of answers the actor's results are made of)
EXPECTED = {
    "manager_a": (200, 4),
    "officer_a": (200, 4),
    "politician_a": (200, 4),
    "provider_in_a": (200, 3),  # its own organisation's answers
    "network_rep": (200, 1),  # the network's: too few for a figure
    "network_member": (200, 1),
    "manager_b": (404, None),
    "provider_outside": (404, None),
    None: (401, None),
}


@pytest.mark.parametrize(("actor", "expected"), EXPECTED.items())
def test_programme_results_by_actor(answered, client_for, actor, expected):
    status, n = expected
    response = client_for(actor).get(URL, {"programme": answered.programme_a.id})
    assert response.status_code == status, response.content
    if status != 200:
        assert "quarters" not in response.json()
        return
    [quarter] = response.json()["quarters"]
    assert quarter["n"] == n
    figure = quarter["statements"][4]
    assert (figure["mean"] is None) == (n < 3)


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("manager_a", 200),
        ("politician_a", 200),
        ("provider_in_a", 200),
        ("manager_b", 404),
        ("provider_outside", 404),
        (None, 401),
    ],
)
def test_relationship_results_by_actor(answered, client_for, actor, status):
    response = client_for(actor).get(
        URL, {"purchaser": answered.purchaser_a.id, "provider": answered.provider_in_a.id}
    )
    assert response.status_code == status, response.content


def test_a_provider_outside_reads_nothing_of_its_own_relationship_with_a(answered, client_for):
    """It may see purchaser A is a purchaser, but not pulses of a relationship it is not in."""
    response = client_for("provider_outside").get(
        URL, {"purchaser": answered.purchaser_a.id, "provider": answered.provider_outside.id}
    )
    assert response.status_code in {200, 404}
    if response.status_code == 200:
        assert response.json()["quarters"] == []
