"""Obligations: duties under a contract, once or on a cadence, and the record of each
occurrence done."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from contracts import occurrences as due_dates
from contracts.models import Obligation, ObligationFulfilment
from tests.contracts import contract_fixtures
from tests.contracts.factories import ObligationFactory, ObligationFulfilmentFactory

acting = contract_fixtures.acting
make_contract = contract_fixtures.make_contract

D = datetime.date


def series(cadence, first_due, until=None, after=None, count=5):
    obligation = Obligation(cadence=cadence, first_due=first_due, until=until)
    return due_dates.occurrences(obligation, after=after or first_due, count=count)


def test_a_quarterly_obligation_falls_due_every_three_months():
    assert series("quarterly", D(2027, 3, 15), count=4) == [
        D(2027, 3, 15),
        D(2027, 6, 15),
        D(2027, 9, 15),
        D(2027, 12, 15),
    ]


def test_a_monthly_obligation_due_on_the_31st_falls_on_the_last_day_of_short_months():
    assert series("monthly", D(2027, 1, 31), count=4) == [
        D(2027, 1, 31),
        D(2027, 2, 28),
        D(2027, 3, 31),
        D(2027, 4, 30),
    ]


def test_a_quarterly_obligation_at_the_end_of_a_quarter_stays_at_its_end():
    assert series("quarterly", D(2027, 3, 31), count=3) == [
        D(2027, 3, 31),
        D(2027, 6, 30),
        D(2027, 9, 30),
    ]


def test_a_yearly_obligation_stops_at_until():
    assert series("yearly", D(2027, 2, 28), until=D(2029, 3, 1), count=10) == [
        D(2027, 2, 28),
        D(2028, 2, 28),
        D(2029, 2, 28),
    ]


def test_a_one_off_obligation_is_due_once():
    assert series("once", D(2027, 5, 1)) == [D(2027, 5, 1)]
    assert series("once", D(2027, 5, 1), after=D(2027, 5, 2)) == []


# --- creating ----------------------------------------------------------------------------


def post_obligation(client, acting, actor, **body):
    return client.post("/api/v1/obligations/", body, format="json", **acting(actor))


def test_an_officer_sets_a_quarterly_report_owed_by_the_lead_provider(
    client_for, make_contract, acting, world
):
    contract = make_contract("signed")
    response = post_obligation(
        client_for("officer_a"),
        acting,
        "officer_a",
        contract=contract.pk,
        title="Quarterly activity report",
        owed_by=world.provider_in_a.id,
        cadence="quarterly",
        first_due="2027-03-31",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owed_by"]["id"] == world.provider_in_a.id
    assert body["fulfilments"] == []
    assert Event.objects.filter(verb="obligation.created", purchaser=world.purchaser_a).count() == 1


def test_the_purchaser_can_owe_an_obligation(client_for, make_contract, acting, world):
    contract = make_contract("active")
    response = post_obligation(
        client_for("officer_a"),
        acting,
        "officer_a",
        contract=contract.pk,
        title="Annual review",
        owed_by=world.purchaser_a.id,
        cadence="yearly",
        first_due="2027-12-01",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owed_by": "network"}, "owed_by"),
        ({"cadence": "once", "until": "2028-01-01"}, "until"),
        ({"until": "2026-01-01"}, "until"),
        ({"cadence": "weekly"}, "cadence"),
    ],
    ids=["not-a-party", "once-with-until", "until-before-first", "unknown-cadence"],
)
def test_a_wrong_obligation_is_refused(client_for, make_contract, acting, world, change, field):
    contract = make_contract("signed")
    body = {
        "contract": contract.pk,
        "title": "Report",
        "owed_by": world.provider_in_a.id,
        "cadence": "quarterly",
        "first_due": "2027-03-31",
        **change,
    }
    if body["owed_by"] == "network":
        body["owed_by"] = world.network.id
    response = post_obligation(client_for("officer_a"), acting, "officer_a", **body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not Obligation.objects.exists()


def test_a_closed_contract_takes_no_new_obligation(client_for, make_contract, acting, world):
    contract = make_contract("ended")
    response = post_obligation(
        client_for("officer_a"),
        acting,
        "officer_a",
        contract=contract.pk,
        title="Report",
        owed_by=world.provider_in_a.id,
        first_due="2027-03-31",
    )
    assert response.status_code == 409
    assert not Obligation.objects.exists()


# --- fulfilments -------------------------------------------------------------------------


@pytest.fixture
def quarterly_report(make_contract, world):
    return ObligationFactory(
        contract=make_contract("active"),
        owed_by=world.provider_in_a,
        cadence="quarterly",
        first_due=D(2025, 3, 31),
    )


def fulfil(client, acting, actor, obligation, **body):
    return client.post(
        f"/api/v1/obligations/{obligation.pk}/fulfilments/", body, format="json", **acting(actor)
    )


def test_the_owing_provider_records_a_fulfilment(client_for, acting, world, quarterly_report):
    response = fulfil(
        client_for("provider_in_a"),
        acting,
        "provider_in_a",
        quarterly_report,
        due="2025-06-30",
        fulfilled_on="2025-06-28",
        note="Sent by e-mail",
    )
    assert response.status_code == 201, response.json()
    fulfilment = ObligationFulfilment.objects.get()
    assert (fulfilment.due, fulfilment.fulfilled_on) == (D(2025, 6, 30), D(2025, 6, 28))
    assert fulfilment.recorded_by == world.people["provider_in_a"]
    event = Event.objects.get(verb="obligation.fulfilled")
    assert event.acting_for == world.provider_in_a
    assert event.purchaser == world.purchaser_a


def test_an_occurrence_is_fulfilled_once(client_for, acting, quarterly_report):
    client = client_for("officer_a")
    assert (
        fulfil(client, acting, "officer_a", quarterly_report, due="2025-03-31").status_code == 201
    )
    again = fulfil(client, acting, "officer_a", quarterly_report, due="2025-03-31")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_fulfilled"
    assert ObligationFulfilment.objects.count() == 1


@pytest.mark.parametrize("due", ["2025-04-30", "2024-12-31"], ids=["between", "before-first"])
def test_a_date_that_is_not_an_occurrence_is_refused(client_for, acting, quarterly_report, due):
    response = fulfil(client_for("officer_a"), acting, "officer_a", quarterly_report, due=due)
    assert response.status_code == 400
    assert "due" in response.json()["error"]["fields"]
    assert "2025-03-31" in response.json()["error"]["message"]
    assert not ObligationFulfilment.objects.exists()


def test_a_fulfilment_cannot_be_dated_in_the_future(client_for, acting, quarterly_report):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = fulfil(
        client_for("officer_a"),
        acting,
        "officer_a",
        quarterly_report,
        due="2025-03-31",
        fulfilled_on=tomorrow.isoformat(),
    )
    assert response.status_code == 400
    assert not ObligationFulfilment.objects.exists()


def test_a_provider_that_does_not_owe_the_obligation_cannot_record_it(
    client_for, acting, make_contract, world
):
    contract = make_contract("active")
    obligation = ObligationFactory(contract=contract, owed_by=world.purchaser_a)
    response = fulfil(
        client_for("provider_in_a"), acting, "provider_in_a", obligation, due="2027-03-31"
    )
    assert response.status_code == 403
    assert not ObligationFulfilment.objects.exists()


def test_an_obligation_shows_its_next_and_overdue_occurrences(client_for, quarterly_report):
    today = timezone.localdate()
    ObligationFulfilmentFactory(obligation=quarterly_report, due=D(2025, 6, 30))
    response = client_for("provider_in_a").get(f"/api/v1/obligations/{quarterly_report.pk}/")
    assert response.status_code == 200
    body = response.json()
    expected_past = [
        d
        for d in due_dates.occurrences_between(
            quarterly_report, D(2025, 3, 31), today - datetime.timedelta(days=1)
        )
        if d != D(2025, 6, 30)
    ]
    assert body["overdue"] == [d.isoformat() for d in expected_past][-12:]
    assert "2025-06-30" not in body["overdue"]
    assert "2025-03-31" in body["overdue"]
    assert len(body["next_due"]) == 3
    assert all(d >= today.isoformat() for d in body["next_due"])
    assert [f["due"] for f in body["fulfilments"]] == ["2025-06-30"]
