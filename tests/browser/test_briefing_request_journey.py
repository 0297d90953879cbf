"""A politician asks for a briefing, in Swedish: Karin (the region's committee) opens the
care-choice programme, sees who makes the briefings and asks for one with a note; Erik (the
region's officer) finds the request on the briefings page, follows its link to the order
form, set to the requested language, and orders it, which closes the request. Read back from
the API: Erik's notification, the request's Events and the briefing ordered."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import Programme
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in
from workers.models import BriefingRequest

PROGRAMME = "Vårdval primärvård 2027"
NOTE = "Inför nämndens sammanträde i maj, gärna med väntetiderna."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def api_as(username: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username=username))
    return api


def test_a_politician_asks_for_a_briefing_and_the_officer_orders_it(demo, media, open_page):
    politician = open_page("sv")
    sign_in(politician, "karin.politician")
    politician.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Underlag"
    ).click()
    politician.get_by_role("link", name=PROGRAMME).click()
    expect(politician.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    ask = politician.locator("#ask")
    expect(ask.get_by_role("heading", name="Be om ett underlag")).to_be_visible()
    # Who to ask, by name: the region's officer and manager.
    expect(ask).to_contain_text("Erik Sandberg")
    expect(ask).to_contain_text("Anna Lindqvist")
    expect(politician.get_by_role("heading", name="Milstolpar")).to_be_visible()
    assert_accessible(politician)
    save_screenshot(politician, "politician-ask-for-briefing")

    ask.get_by_label("Underlagets språk").select_option("sv")
    ask.get_by_label("Meddelande till handläggarna (frivilligt)").fill(NOTE)
    ask.get_by_role("button", name="Begär ett underlag").click()
    expect(politician.get_by_role("status").first).to_contain_text(
        "Din begäran har skickats till handläggarna"
    )
    expect(politician.locator("#ask")).to_contain_text("handläggarna har fått besked")
    assert_accessible(politician)
    politician.get_by_role(
        "link", name="Alla underlag om programmet, efter datum och språk"
    ).click()
    expect(politician.get_by_role("heading", level=1)).to_have_text("Alla underlag")
    expect(politician.get_by_label("Program")).to_have_value(
        str(Programme.objects.get(name=PROGRAMME).pk)
    )
    assert_accessible(politician)

    officer = open_page("sv")
    sign_in(officer, "erik.officer")
    officer.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Underlag").click()
    requests = officer.get_by_role("region", name="Begärda underlag")
    expect(requests).to_contain_text("Karin Ek")
    expect(requests).to_contain_text(NOTE)
    assert_accessible(officer)
    save_screenshot(officer, "officer-briefing-requests")
    requests.get_by_role("link", name=f"Beställ underlaget om {PROGRAMME}").click()
    expect(officer.get_by_label("Underlagets språk")).to_have_value("sv")
    officer.get_by_role("button", name="Beställ ett nytt underlag").click()
    expect(officer.locator("#progress")).to_contain_text("Din beställning")
    officer.goto("/briefings/")
    expect(officer.get_by_role("region", name="Begärda underlag")).to_have_count(0)

    # Read back from the API.
    row = BriefingRequest.objects.get()
    assert row.status == BriefingRequest.Status.ORDERED
    erik = api_as("erik.officer")
    notices = erik.get("/api/v1/notifications/").json()["results"]
    assert any(n["kind"] == "briefing_requested" for n in notices)
    events = erik.get(
        "/api/v1/events/", {"subject_type": "workers.briefingrequest", "subject_id": row.pk}
    ).json()["results"]
    assert sorted(e["verb"] for e in events) == ["briefing.request_closed", "briefing.requested"]
    programme = Programme.objects.get(name=PROGRAMME)
    documents = api_as("karin.politician").get("/api/v1/documents/").json()["results"]
    assert any(
        d["kind"] == "briefing" and d["language"] == "sv" and str(d["id"]) == str(row.document_id)
        for d in documents
    ), (programme.id, documents)
