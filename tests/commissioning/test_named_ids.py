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


def test_only_the_id_filters_a_request_names_read_the_policy(client_for, world, monkeypatch):
    """Every filter's form field is made on every request; the policy's query of the visible
    rows is built only for the id filters the request gives (it was built for all of them,
    40 % of a small list's time)."""
    from commissioning.api import filters

    built = []
    visible_rows = filters.policies.visible_rows
    monkeypatch.setattr(
        filters.policies,
        "visible_rows",
        lambda model, person: built.append(model.__name__) or visible_rows(model, person),
    )
    client = client_for("manager_a")
    assert client.get("/api/v1/contracts/").status_code == 200
    assert built == []
    filtered = client.get(f"/api/v1/contracts/?programme={world.programme_a.pk}")
    assert filtered.status_code == 200
    assert built == ["Programme"]


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


def _same_answer(on_hidden, hidden_id, on_missing):
    """Same status, and the same body once the id is replaced."""
    assert on_hidden.status_code == on_missing.status_code
    assert on_hidden.content.decode().replace(str(hidden_id), "{id}") == (
        on_missing.content.decode().replace(str(MISSING), "{id}")
    )


def test_a_list_filter_generated_from_filterset_fields_refuses_a_hidden_id(client_for, world):
    """`filterset_fields` (the rulebooks' `programme`) gets the same visible choices as a
    declared filter set: 400 for another purchaser's programme, as for a missing one."""
    client = client_for("manager_b")
    on_hidden = client.get(f"/api/v1/rulebooks/?programme={world.programme_a.pk}")
    on_missing = client.get(f"/api/v1/rulebooks/?programme={MISSING}")
    assert on_missing.status_code == 400
    _same_answer(on_hidden, world.programme_a.pk, on_missing)


def test_a_meeting_invitee_of_another_purchaser_is_refused_without_a_name(client_for, world):
    """B's manager inviting A's manager for A: refused on the field as an unknown id, with
    nothing of A's (user name, full name, organisation name) in the answer, and no meeting."""
    from dialogue.models import Meeting

    manager_a = world.people["manager_a"]
    client = client_for("manager_b")

    def post(invitee):
        return client.post(
            "/api/v1/meetings/",
            {
                "title": "Collaboration",
                "programme": world.programme_b.pk,
                "starts_at": "2027-03-02T09:00:00+01:00",
                "ends_at": "2027-03-02T10:00:00+01:00",
                "place": "Hall",
                "invitees": [invitee],
            },
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_b.pk),
        )

    on_hidden = post({"organisation": world.purchaser_a.pk, "person": manager_a.pk})
    assert on_hidden.status_code == 400
    text = on_hidden.content.decode()
    for name in (manager_a.username, world.purchaser_a.name):
        assert name not in text
    assert not Meeting.objects.filter(title="Collaboration").exists()
    # A person of A named with an organisation B sees: refused as a person that does not
    # exist, not "Person 7 is not a member of organisation 1".
    on_person = post({"organisation": world.provider_outside.pk, "person": manager_a.pk})
    on_nobody = post({"organisation": world.provider_outside.pk, "person": MISSING})
    assert on_nobody.status_code == 400
    _same_answer(on_person, manager_a.pk, on_nobody)
    assert "member" not in on_person.content.decode()


def test_an_agenda_presenter_of_another_purchaser_is_refused(client_for, world):
    from tests.dialogue.factories import MeetingFactory

    meeting = MeetingFactory(arena=None, programme=world.programme_b)
    client = client_for("manager_b")

    def post(presenter):
        return client.post(
            "/api/v1/agenda-items/",
            {
                "meeting": meeting.pk,
                "title": "Their view",
                "kind": "dialogue",
                "planned_minutes": 20,
                "presenter": presenter,
            },
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_b.pk),
        )

    on_hidden, on_missing = post(world.political_body_a.pk), post(MISSING)
    assert on_missing.status_code == 400
    _same_answer(on_hidden, world.political_body_a.pk, on_missing)
    assert not meeting.agenda_items.exists()


def test_arena_members_of_another_purchaser_are_refused(client_for, world):
    from dialogue.models import Arena

    client = client_for("manager_b")

    def post(member):
        return client.post(
            "/api/v1/arenas/",
            {"name": "Forum", "kind": "provider_council", "members": [member]},
            format="json",
            HTTP_X_ACTING_FOR=str(world.purchaser_b.pk),
        )

    on_hidden, on_missing = post(world.purchaser_a.pk), post(MISSING)
    assert on_missing.status_code == 400
    _same_answer(on_hidden, world.purchaser_a.pk, on_missing)
    assert world.purchaser_a.name not in on_hidden.content.decode()
    assert not Arena.objects.filter(name="Forum").exists()
