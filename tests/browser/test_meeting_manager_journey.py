"""The commissioning officer's whole meeting, in Swedish: Erik of Region Norrsund plans the
provider council with invitations to an organisation and to a named person and a typed
agenda, moves it to the day it was in fact held, holds it (who came, the minutes); Anna, the
manager, approves the minutes; Erik corrects the attendance with a reason. The API then
shows the approved meeting with both attendance revisions. axe runs on each new page."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import Organisation
from dialogue.models import Meeting
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Vårdvalsrådet: uppföljning av ersättningen"


def test_officer_plans_holds_and_corrects_a_meeting_in_swedish(demo, open_page):
    region = Organisation.objects.get(name="Region Norrsund")
    halsans_hus = Organisation.objects.get(name="Hälsans Hus Norrsund AB")
    sara = get_user_model().objects.get(username="sara.provider")
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    page = open_page("sv")
    sign_in(page, "erik.officer")
    page.goto("/meetings/")
    page.get_by_role("link", name="Planera ett möte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planera ett möte")
    assert_accessible(page)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_arena").select_option(label="Vårdvalsrådet primärvård")
    page.locator("#id_date").fill(next_week.isoformat())
    page.locator("#id_starts").fill("13:00")
    page.locator("#id_ends").fill("15:00")
    page.locator("#id_place").fill("Regionhuset, sal Älven")
    page.locator(f"input[name=organisations][value='{halsans_hus.id}']").check()
    page.locator(f"input[name=people][value='{halsans_hus.id}-{sara.id}']").check()
    page.locator("#id_agenda-0-title").fill("Dialog om ersättningsmodellen")
    page.locator("#id_agenda-0-planned_minutes").fill("60")
    save_screenshot(page, "meeting-plan")
    page.get_by_role("button", name="Planera mötet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").first).to_contain_text("Mötet är planerat")
    assert_accessible(page)
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.status == "planned"

    # The council was in fact held yesterday: Erik moves it, then holds it.
    page.get_by_role("link", name="Ändra mötet").click()
    assert_accessible(page)
    save_screenshot(page, "meeting-edit")
    page.locator("#id_date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Spara ändringarna").click()
    page.get_by_role("link", name="Genomför mötet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Genomför mötet")
    assert_accessible(page)
    page.locator("#id_minutes").fill("# Vårdvalsrådet\n\nModellen skickas på remiss.")
    save_screenshot(page, "meeting-hold")
    page.get_by_role("button", name="Markera som genomfört och spara").click()
    expect(page.get_by_role("status").first).to_contain_text("Mötet är markerat som genomfört.")

    manager = open_page("sv")
    sign_in(manager, "anna.manager")
    manager.goto(f"/meetings/{meeting.pk}/")
    assert_accessible(manager)
    save_screenshot(manager, "meeting-approve")
    manager.get_by_role("button", name="Godkänn protokollet").click()
    expect(manager.get_by_role("status").first).to_contain_text("Protokollet är godkänt.")

    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Rätta närvaron").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rätta närvaron")
    assert_accessible(page)
    page.locator("#id_attendance-1-status").select_option("absent")
    page.get_by_role("button", name="Spara närvaron").click()
    # Refused without a reason: 409, in Swedish, beside the field; nothing saved.
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_reason_errors")).to_contain_text("Obligatoriskt vid rättelse.")
    assert_accessible(page)
    assert meeting.attendance.count() == 1
    page.locator("#id_reason").fill("Hälsans Hus kunde inte komma")
    save_screenshot(page, "meeting-attendance")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Rättad: Hälsans Hus kunde inte komma")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "meeting-manager-detail")

    page.goto("/actions/")
    assert_accessible(page)
    page.goto("/actions/assigned/")
    assert_accessible(page)
    save_screenshot(page, "actions-assigned")

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="erik.officer"))
    body = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["status"] == "minutes_approved"
    invited = {
        (i["organisation"]["id"], (i["person"] or {}).get("id")) for i in body["invitations"]
    }
    assert (halsans_hus.id, None) in invited
    assert (halsans_hus.id, sara.id) in invited
    assert [i["title"] for i in body["agenda_items"]] == ["Dialog om ersättningsmodellen"]
    assert [r["reason"] for r in body["attendance"]] == ["", "Hälsans Hus kunde inte komma"]
    entries = {(e["organisation"]["id"], e["status"]) for e in body["attendance"][-1]["entries"]}
    assert (region.id, "present") in entries
