"""An id a request names, in a list filter or in a body, answers the same whether the row is
hidden from the person or does not exist at all (policies.visible_rows and
policies.named_in_request): no answer tells that another purchaser's row exists."""

import pytest

from tests.contracts.factories import ContractFactory

MISSING = 987_654


def error_of(response) -> dict:
    error = response.json()["error"]
    return {"code": error["code"], "fields": sorted(error.get("fields", {}))}


@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("/api/v1/contracts/?programme={id}", "programme_b"),
        ("/api/v1/contracts/?purchaser={id}", "purchaser_b"),
        ("/api/v1/consultations/?programme={id}", "programme_b"),
        ("/api/v1/meetings/?programme={id}", "programme_b"),
        ("/api/v1/concerns/?programme={id}", "programme_b"),
    ],
)
def test_a_filter_on_a_hidden_id_is_refused_as_a_missing_one(client_for, world, path, hidden):
    client = client_for("provider_in_a")
    hidden_id = getattr(world, hidden).pk
    on_hidden = client.get(path.format(id=hidden_id))
    on_missing = client.get(path.format(id=MISSING))
    assert on_missing.status_code == 400
    assert on_hidden.status_code == on_missing.status_code
    assert error_of(on_hidden) == error_of(on_missing)


def test_a_filter_on_a_visible_id_still_filters(client_for, world):
    ContractFactory(programme=world.programme_a)
    response = client_for("manager_a").get(f"/api/v1/contracts/?programme={world.programme_a.pk}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_body_naming_a_hidden_contract_is_refused_as_a_missing_one(client_for, world):
    hidden = ContractFactory(programme=world.programme_b)
    client = client_for("manager_a")

    def post(contract_id):
        return client.post(
            "/api/v1/obligations/",
            {
                "contract": contract_id,
                "owed_by": world.provider_in_a.pk,
                "title": "Quarterly report",
                "cadence": "quarterly",
                "first_due": "2027-03-31",
            },
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_a.pk),
        )

    on_hidden, on_missing = post(hidden.pk), post(MISSING)
    assert on_missing.status_code == 400
    assert on_hidden.status_code == on_missing.status_code
    assert error_of(on_hidden) == error_of(on_missing)
    assert error_of(on_hidden)["fields"] == ["contract"]
    assert not hidden.obligations.exists()
