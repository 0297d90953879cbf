"""Concerns in the pages, in Swedish: Erik of Region Norrsund raises a concern with a provider
(refused once for a reply-by date in the past, beside the field), Sara of the provider
acknowledges it on its page, and the API says so; Erik follows the relationship's page
through to the concerns between them; axe on every concern and relationship page."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from dialogue.models import Concern
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

PROVIDER = "Hälsans Hus Norrsund AB"
TITLE = "Remisser besvaras efter fristen"


def test_officer_raises_a_concern_and_the_provider_acknowledges_it(demo, open_page):
    page = open_page("sv")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "erik.officer")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Problem som lyfts"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem som lyfts")
    assert_accessible(page)
    save_screenshot(page, "concern-list")
    page.get_by_role("link", name="Påtala ett problem").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Påtala ett problem")
    page.get_by_label("Påtala för").select_option(label=PROVIDER)
    page.get_by_label("Problemet på en rad").fill(TITLE)
    page.get_by_label("Beskriv det").fill("Svaren på våra remisser kommer efter fristen.")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Svar senast").fill(yesterday.isoformat())
    page.get_by_role("button", name="Påtala problemet").click()
    expect(page.get_by_role("alert")).to_contain_text("Svar senast:")
    expect(page.get_by_label("Problemet på en rad")).to_have_value(TITLE)
    assert not Concern.objects.filter(title=TITLE).exists()
    assert_accessible(page)
    save_screenshot(page, "concern-raise")
    in_two_weeks = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Svar senast").fill(in_two_weeks.isoformat())
    page.get_by_role("button", name="Påtala problemet").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("Problemet har påtalats.")
    expect(page.get_by_role("button", name="Bekräfta mottagandet")).to_have_count(0)
    concern = Concern.objects.get(title=TITLE)

    provider = open_page("sv")
    sign_in(provider, "sara.provider")
    provider.goto(f"/concerns/{concern.pk}/")
    # Sara speaks for the provider and for the network: she acts for the provider here.
    if provider.get_by_label("Agerar för").count():
        provider.get_by_label("Agerar för").select_option(str(concern.raised_with_id))
        provider.get_by_role("button", name="Byt", exact=True).click()
    expect(provider.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(provider)
    provider.get_by_role("button", name="Bekräfta mottagandet").click()
    expect(provider.get_by_role("status")).to_contain_text("Mottagandet har bekräftats.")
    expect(provider.get_by_role("list", name="Historik")).to_contain_text(
        f"Mottagandet bekräftat av {PROVIDER}"
    )
    assert_accessible(provider)
    save_screenshot(provider, "concern-detail")

    # Relationship health, and through the relationship's page to the concerns between them.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Relationer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relationer")
    assert_accessible(page)
    save_screenshot(page, "relationship-list")
    page.get_by_role("link", name=f"Öppna relationen Region Norrsund – {PROVIDER}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Region Norrsund – {PROVIDER}")
    expect(page.get_by_role("heading", name="Förtroende per kvartal (1–5)")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "relationship-detail")
    page.get_by_role("link", name="Problemen mellan dem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem som lyfts")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="erik.officer"))
    body = api.get(f"/api/v1/concerns/{concern.pk}/").json()
    assert body["status"] == "acknowledged"
    assert body["title"] == TITLE
