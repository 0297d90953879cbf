"""The access table of every contract and obligation endpoint: the eight actors of the
`world` and an anonymous caller. Providers see the contracts they are party to, politicians
read, staff of another purchaser see nothing, and only purchaser staff change anything."""

import pytest

from contracts.models import Contract, ContractParty, ContractVersion, Obligation
from tests.authorization.endpoints import refused_for_role
from tests.contracts import contract_fixtures
from tests.contracts.factories import ContractFactory, ContractPartyFactory, ObligationFactory

acting = contract_fixtures.acting
make_contract = contract_fixtures.make_contract

ACTORS = [
    "manager_a",
    "officer_a",
    "manager_b",
    "provider_in_a",
    "provider_outside",
    "network_rep",
    "network_member",
    "politician_a",
    None,
]


def expect(**codes):
    """The status each actor gets; actors not named get `other`, anonymous gets 401."""
    other = codes.pop("other")
    return {actor: codes.get(actor, other) for actor in ACTORS if actor} | {None: 401}


@pytest.fixture
def scene(world, make_contract):
    """Contract A (Provider in A is its lead provider), a contract of A with the network as
    party, a contract of B, and an obligation of contract A owed by Provider in A."""
    contract_a = make_contract("draft")
    contract_net = ContractFactory(programme=world.programme_a)
    ContractPartyFactory(contract=contract_net, organisation=world.network)
    contract_b = ContractFactory(programme=world.programme_b)
    ContractPartyFactory(contract=contract_b, organisation=world.provider_outside)
    obligation = ObligationFactory(contract=contract_a, owed_by=world.provider_in_a)
    return {"a": contract_a, "net": contract_net, "b": contract_b, "obligation": obligation}


# --- lists -------------------------------------------------------------------------------

VISIBLE_CONTRACTS = {
    "manager_a": {"a", "net"},
    "officer_a": {"a", "net"},
    "manager_b": {"b"},
    "provider_in_a": {"a"},
    "provider_outside": {"b"},
    "network_rep": {"net"},
    "network_member": {"net"},  # through its network
    "politician_a": {"a", "net"},
}


@pytest.mark.parametrize(("actor", "expected"), VISIBLE_CONTRACTS.items())
def test_contract_list_shows_exactly_what_the_policy_allows(client_for, scene, actor, expected):
    response = client_for(actor).get("/api/v1/contracts/")
    assert response.status_code == 200
    assert {c["id"] for c in response.json()["results"]} == {scene[k].pk for k in expected}


@pytest.mark.parametrize(("actor", "expected"), VISIBLE_CONTRACTS.items())
def test_obligation_list_shows_only_obligations_of_visible_contracts(
    client_for, scene, actor, expected
):
    response = client_for(actor).get("/api/v1/obligations/")
    assert response.status_code == 200
    ids = {o["id"] for o in response.json()["results"]}
    assert ids == ({scene["obligation"].pk} if "a" in expected else set())


@pytest.mark.parametrize("path", ["/api/v1/contracts/", "/api/v1/obligations/"])
def test_lists_refuse_anonymous_callers(client_for, scene, path):
    assert client_for(None).get(path).status_code == 401


# --- reads of one contract ---------------------------------------------------------------

READERS = expect(manager_a=200, officer_a=200, provider_in_a=200, politician_a=200, other=404)
READ_PATHS = [
    "/api/v1/contracts/{a}/",
    "/api/v1/contracts/{a}/versions/",
    "/api/v1/contracts/{a}/versions/1/",
    "/api/v1/contracts/{a}/versions/diff/?from=1&to=1",
    "/api/v1/obligations/{obligation}/",
]


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("actor", ACTORS)
def test_reading_a_contract_answers_as_the_access_table_says(client_for, scene, actor, path):
    url = path.format(a=scene["a"].pk, obligation=scene["obligation"].pk)
    response = client_for(actor).get(url)
    assert response.status_code == READERS[actor], response.json()
    if response.status_code == 404:
        assert response.json()["error"]["code"] == "not_found"


# --- writes ------------------------------------------------------------------------------

STAFF_WRITE = expect(manager_a="ok", officer_a="ok", provider_in_a=403, politician_a=403, other=404)
MANAGER_WRITE = expect(
    manager_a="ok", officer_a=403, provider_in_a=403, politician_a=403, other=404
)

# (method, path, body, starting status of contract A, success code, who may)
CONTRACT_WRITES = {
    "change-terms": (
        "patch",
        "/api/v1/contracts/{a}/",
        {"title": "New"},
        "draft",
        200,
        STAFF_WRITE,
    ),
    "new-version": (
        "post",
        "/api/v1/contracts/{a}/versions/",
        {"change_summary": "Second"},
        "draft",
        201,
        STAFF_WRITE,
    ),
    "edit-version": (
        "patch",
        "/api/v1/contracts/{a}/versions/1/",
        {"title": "New"},
        "draft",
        200,
        STAFF_WRITE,
    ),
    "add-party": (
        "post",
        "/api/v1/contracts/{a}/parties/",
        {"organisation": "{network}", "role": "partner"},
        "draft",
        201,
        STAFF_WRITE,
    ),
    "remove-party": (
        "delete",
        "/api/v1/contracts/{a}/parties/{party}/",
        None,
        "draft",
        204,
        STAFF_WRITE,
    ),
    "start-dialogue": (
        "post",
        "/api/v1/contracts/{a}/start-dialogue/",
        {},
        "draft",
        200,
        STAFF_WRITE,
    ),
    "start-negotiation": (
        "post",
        "/api/v1/contracts/{a}/start-negotiation/",
        {},
        "in_dialogue",
        200,
        STAFF_WRITE,
    ),
    "finalise": ("post", "/api/v1/contracts/{a}/finalise/", {}, "negotiation", 200, MANAGER_WRITE),
    "reopen-negotiation": (
        "post",
        "/api/v1/contracts/{a}/reopen-negotiation/",
        {},
        "finalised",
        200,
        MANAGER_WRITE,
    ),
    "sign": ("post", "/api/v1/contracts/{a}/sign/", {}, "finalised", 200, MANAGER_WRITE),
    "activate": ("post", "/api/v1/contracts/{a}/activate/", {}, "signed", 200, STAFF_WRITE),
    "end": ("post", "/api/v1/contracts/{a}/end/", {}, "active", 200, STAFF_WRITE),
    "terminate": (
        "post",
        "/api/v1/contracts/{a}/terminate/",
        {"reason": "Breach"},
        "active",
        200,
        MANAGER_WRITE,
    ),
    "fulfil": (
        "post",
        "/api/v1/obligations/{obligation}/fulfilments/",
        {"due": "2027-03-31", "fulfilled_on": "2025-01-01"},
        "active",
        201,
        expect(manager_a="ok", officer_a="ok", provider_in_a="ok", politician_a=403, other=404),
    ),
}


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _snapshot():
    return (
        list(Contract.objects.order_by("id").values_list("id", "status")),
        ContractParty.objects.count(),
        sorted((v.contract_id, v.number, v.title) for v in ContractVersion.objects.all()),
        Obligation.objects.count(),
        sum(o.fulfilments.count() for o in Obligation.objects.all()),
    )


@pytest.mark.parametrize("write", CONTRACT_WRITES)
@pytest.mark.parametrize("actor", ACTORS)
def test_writing_answers_as_the_access_table_says(client_for, scene, world, acting, actor, write):
    method, path, body, status, success, table = CONTRACT_WRITES[write]
    contract = scene["a"]
    Contract.objects.filter(pk=contract.pk).update(status=status)
    if status in {"signed", "active"}:
        Contract.objects.filter(pk=contract.pk).update(signed_at="2026-01-01T00:00Z")
    if write == "remove-party":
        # A party that owes obligations stays (a rule of its own, tested elsewhere).
        Obligation.objects.all().delete()
    ids = {
        "a": contract.pk,
        "obligation": scene["obligation"].pk,
        "party": contract.parties.get().pk,
        "network": world.network.id,
    }
    before = _snapshot()
    client = client_for(actor)
    kwargs = {"format": "json", **acting(actor)}
    if body is not None:
        kwargs["data"] = _fill(body, ids)
    response = getattr(client, method)(path.format(**ids), **kwargs)
    expected = table[actor]
    if refused_for_role(actor, path.format(**ids), method):
        expected = 403  # the role may never write here: refused before the id is looked at
    if expected == "ok":
        assert response.status_code == success, response.content
        assert _snapshot() != before
    else:
        assert response.status_code == expected, response.content
        assert _snapshot() == before


CREATE_TABLE = expect(
    manager_a=201,
    officer_a=201,
    # Programme A is visible to them, so the refusal is about the role.
    provider_in_a=403,
    network_rep=403,
    network_member=403,
    politician_a=403,
    # Programme A is not theirs to see: the id in the body is unknown to them.
    other=400,
)


@pytest.mark.parametrize("actor", ACTORS)
def test_creating_a_contract_answers_as_the_access_table_says(
    client_for, scene, world, acting, actor
):
    before = Contract.objects.count()
    response = client_for(actor).post(
        "/api/v1/contracts/",
        {"programme": world.programme_a.id, "title": "New contract", "kind": "service"},
        format="json",
        **acting(actor),
    )
    refused = refused_for_role(actor, "/api/v1/contracts/", "POST")
    assert response.status_code == (403 if refused else CREATE_TABLE[actor]), response.content
    assert Contract.objects.count() == before + (1 if response.status_code == 201 else 0)


OBLIGATION_TABLE = expect(
    manager_a=201, officer_a=201, provider_in_a=403, politician_a=403, other=400
)


@pytest.mark.parametrize("actor", ACTORS)
def test_creating_an_obligation_answers_as_the_access_table_says(
    client_for, scene, world, acting, actor
):
    before = Obligation.objects.count()
    response = client_for(actor).post(
        "/api/v1/obligations/",
        {
            "contract": scene["a"].pk,
            "title": "Annual review",
            "owed_by": world.purchaser_a.id,
            "cadence": "yearly",
            "first_due": "2027-12-01",
        },
        format="json",
        **acting(actor),
    )
    refused = refused_for_role(actor, "/api/v1/obligations/", "POST")
    assert response.status_code == (403 if refused else OBLIGATION_TABLE[actor]), response.content
    assert Obligation.objects.count() == before + (1 if response.status_code == 201 else 0)


def test_contracts_are_filtered_by_status_and_party(client_for, scene, world):
    client = client_for("manager_a")
    by_party = client.get("/api/v1/contracts/", {"party": world.network.id})
    assert [c["id"] for c in by_party.json()["results"]] == [scene["net"].pk]
    Contract.objects.filter(pk=scene["a"].pk).update(status="negotiation")
    by_status = client.get("/api/v1/contracts/", {"status": "negotiation"})
    assert [c["id"] for c in by_status.json()["results"]] == [scene["a"].pk]
