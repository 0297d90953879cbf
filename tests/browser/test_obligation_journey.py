"""The officer's obligation journey, in Swedish: Erik of Region Norrsund opens the
obligations calendar, finds last month's listing report of Hälsans Hus overdue, is refused
once for a fulfilment date in the future (in Swedish, beside the field, the note kept), records
it as fulfilled yesterday, sees it leave the overdue list, and finds it in the API."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from contracts.models import Obligation
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Månadsrapport om listade invånare"
NOTE = "Rapporten kom in sent efter påminnelse."


def test_officer_records_an_overdue_fulfilment_from_the_calendar_in_swedish(demo, open_page):
    obligation = Obligation.objects.get(title=TITLE)
    today = timezone.localdate()
    due = (today.replace(day=1) - relativedelta(months=1)).replace(day=10)
    page = open_page("sv")
    sign_in(page, "erik.officer")

    page.goto("/obligations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtagandekalender")
    assert_accessible(page)
    save_screenshot(page, "obligation-calendar")

    overdue = page.get_by_role("table").first
    form = overdue.locator(f"form:has(input[name=due][value='{due.isoformat()}'])")
    expect(form).to_have_count(1)
    form.get_by_label("Uppfyllt den").fill((today + datetime.timedelta(days=1)).isoformat())
    form.get_by_label("Anteckning").fill(NOTE)
    form.get_by_role("button", name="Registrera som uppfyllt").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Inget har sparats än")
    expect(summary).to_contain_text("Uppfyllt den: I dag eller tidigare.")
    form = page.locator(f"form:has(input[name=due][value='{due.isoformat()}'])")
    expect(form.get_by_label("Anteckning")).to_have_value(NOTE)
    assert_accessible(page)
    assert not obligation.fulfilments.filter(due=due).exists()

    yesterday = today - datetime.timedelta(days=1)
    form.get_by_label("Uppfyllt den").fill(yesterday.isoformat())
    form.get_by_role("button", name="Registrera som uppfyllt").click()
    expect(page.get_by_role("status").first).to_contain_text("är registrerat som uppfyllt")
    expect(page.locator(f"form:has(input[name=due][value='{due.isoformat()}'])")).to_have_count(0)

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="erik.officer"))
    body = api.get(f"/api/v1/obligations/{obligation.pk}/").json()
    recorded = [f for f in body["fulfilments"] if f["due"] == due.isoformat()]
    assert len(recorded) == 1
    assert recorded[0]["fulfilled_on"] == yesterday.isoformat()
    assert recorded[0]["note"] == NOTE
