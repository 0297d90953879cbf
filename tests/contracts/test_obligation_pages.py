"""The obligations calendar (contracts/web/obligations.py): overdue occurrences and those due
in the month, each with a form to record its fulfilment for those the policy lets record it
(the purchaser's staff and the party that owes it); a refused record keeps what was typed,
says why beside the field, and saves nothing; renewals and expiries ahead."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from contracts.models import Obligation, ObligationFulfilment
from tests.contracts import contract_fixtures
from tests.contracts.factories import ObligationFactory
from tests.pages import signed_in, text

make_contract = contract_fixtures.make_contract
pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly(world, make_contract):
    """A monthly report owed by Provider in A, due on the 3rd since four months ago."""
    today = timezone.localdate()
    contract = make_contract(
        "active",
        period_start=today - relativedelta(years=1),
        period_end=today + datetime.timedelta(days=40),
    )
    first = (today - relativedelta(months=4)).replace(day=3)
    return ObligationFactory(
        contract=contract,
        title="Monthly activity report",
        owed_by=world.provider_in_a,
        cadence=Obligation.Cadence.MONTHLY,
        first_due=first,
    )


def test_the_calendar_lists_the_overdue_and_this_months_with_a_form_each(world, monthly):
    page = text(signed_in(world, "officer_a").get("/obligations/"))
    assert "Overdue" in page
    assert page.count(f'action="/obligations/{monthly.pk}/fulfilments/"') >= 4
    assert "Renewals and expiries ahead" in page
    assert "Integrated respiratory service" in page


def test_the_owing_provider_records_its_own_and_a_politician_only_reads(world, monthly):
    provider = text(signed_in(world, "provider_in_a").get("/obligations/"))
    politician = text(signed_in(world, "politician_a").get("/obligations/"))
    assert "Record as fulfilled" in provider
    assert "Monthly activity report" in politician
    assert "Record as fulfilled" not in politician
    due = monthly.first_due.isoformat()
    refused = signed_in(world, "politician_a").post(
        f"/obligations/{monthly.pk}/fulfilments/", {"due": due, "fulfilled_on": due}
    )
    assert refused.status_code == 403
    other = text(signed_in(world, "manager_b").get(f"/obligations/?contract={monthly.contract_id}"))
    assert "Monthly activity report" not in other
    assert not ObligationFulfilment.objects.exists()


def test_recording_a_fulfilment_saves_it_and_takes_it_off_the_overdue(world, monthly):
    client = signed_in(world, "officer_a")
    due = monthly.first_due
    response = client.post(
        f"/obligations/{monthly.pk}/fulfilments/",
        {"due": due.isoformat(), "fulfilled_on": due.isoformat(), "note": "On time"},
    )
    assert response.status_code == 302
    fulfilment = ObligationFulfilment.objects.get()
    assert (fulfilment.due, fulfilment.note) == (due, "On time")
    page = text(client.get(response["Location"]))
    assert "is recorded as fulfilled" in page


def test_a_fulfilment_in_the_future_is_refused_beside_the_field_with_the_note_kept(world, monthly):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(world, "officer_a").post(
        f"/obligations/{monthly.pk}/fulfilments/",
        {
            "due": monthly.first_due.isoformat(),
            "fulfilled_on": tomorrow.isoformat(),
            "note": "Kept",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved yet: please fix this" in page
    assert "Fulfilled on: Today or earlier." in page
    assert 'value="Kept"' in page
    assert not ObligationFulfilment.objects.exists()


def test_a_due_date_that_is_not_one_is_refused_and_nothing_saved(world, monthly):
    wrong = monthly.first_due + datetime.timedelta(days=1)
    response = signed_in(world, "officer_a").post(
        f"/obligations/{monthly.pk}/fulfilments/",
        {"due": wrong.isoformat(), "fulfilled_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "is not a due date of this obligation" in text(response)
    assert not ObligationFulfilment.objects.exists()


def test_a_month_typed_wrong_is_a_400_naming_the_field(world):
    response = signed_in(world).get("/obligations/?month=May")
    assert response.status_code == 400
    assert "Month: Enter a valid date." in text(response)
