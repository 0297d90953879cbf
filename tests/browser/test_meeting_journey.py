"""The commissioning officer's journey, in Swedish: Erik of Region Norrsund logs the provider
council he held yesterday in one form, sees the dialogue share warn while he types the
agenda, is refused once for a missing due date (in Swedish, beside the field, with nothing
lost), saves, and finds the meeting in the API; then downloads its calendar file and orders
its PDF summary."""

import datetime
import re

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import Organisation
from dialogue.models import Meeting
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Vårdvalsrådet: extra möte om ersättningen"
WARNING = "Varning:"


@pytest.fixture
def documents_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_officer_logs_a_meeting_in_swedish_and_finds_it_in_the_api(
    demo, open_page, documents_folder
):
    region = Organisation.objects.get(name="Region Norrsund")
    halsans_hus = Organisation.objects.get(name="Hälsans Hus Norrsund AB")
    network = Organisation.objects.get(name="Vårdföretagarna Norrsund")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    page = open_page("sv")
    sign_in(page, "erik.officer")

    page.goto("/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Möten")
    assert_accessible(page)
    page.get_by_role("link", name="Registrera ett möte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera ett möte")
    assert_accessible(page)
    meeting_part = page.get_by_role("group", name="Möte")
    meeting_part.get_by_label("Titel").fill(TITLE)
    meeting_part.get_by_label("Forum").select_option(label="Vårdvalsrådet primärvård")
    meeting_part.get_by_label("Datum").fill(yesterday.isoformat())
    meeting_part.get_by_label("Började").fill("13:00")
    meeting_part.get_by_label("Slutade").fill("15:00")
    meeting_part.get_by_label("Plats").fill("Regionhuset, sal Älven")

    # Erik himself is listed present for the region already; two more attendees.
    expect(page.locator("#id_attendance-0-organisation")).to_have_value(str(region.id))
    page.locator("#id_attendance-1-organisation").select_option(str(halsans_hus.id))
    page.locator("#id_attendance-1-person").select_option(label="Sara Holm")
    page.locator("#id_attendance-2-organisation").select_option(str(network.id))
    page.locator("#id_attendance-2-status").select_option("excused")

    share = page.locator("#dialogue-share")
    page.locator("#id_agenda-0-title").fill("Regionens information om ersättningen")
    page.locator("#id_agenda-0-kind").select_option("information")
    page.locator("#id_agenda-0-planned_minutes").fill("45")
    expect(share).to_contain_text(WARNING)
    expect(share).to_contain_text("0 av 45 minuter är dialog")
    page.locator("#id_agenda-1-title").fill("Dialog om ersättningsmodellen")
    page.locator("#id_agenda-1-kind").select_option("dialogue")
    page.locator("#id_agenda-1-planned_minutes").fill("30")
    expect(share).to_contain_text("30 av 75 minuter är dialog")
    expect(share).not_to_contain_text(WARNING)
    page.locator("#id_agenda-1-decisions").fill("Förslaget skickas på remiss i mars")

    # A third agenda row by keyboard: the button adds it and puts the focus in it.
    page.get_by_role("button", name="Lägg till en dagordningspunkt").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_agenda-2-title")).to_be_focused()

    page.locator("#id_actions-0-title").fill("Skicka underlag till utförarna")
    page.locator("#id_actions-0-owner_organisation").select_option(str(region.id))
    save_screenshot(page, "meeting-log")
    page.get_by_role("button", name="Spara mötet").click()

    # Refused: no due date. The message is in Swedish beside the field; nothing was lost.
    expect(page.locator("#id_actions-0-due_date_errors")).to_have_text("Fältet är obligatoriskt.")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_actions-0-title")).to_have_value("Skicka underlag till utförarna")
    expect(page.locator("#id_agenda-1-decisions")).to_have_value(
        "Förslaget skickas på remiss i mars"
    )
    expect(page.locator("#id_attendance-1-person")).to_have_value(
        str(get_user_model().objects.get(username="sara.provider").id)
    )
    expect(page.locator("#dialogue-share")).to_contain_text("30 av 75 minuter är dialog")
    assert not Meeting.objects.filter(title=TITLE).exists()
    assert_accessible(page)

    page.locator("#id_actions-0-due_date").fill(
        (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Spara mötet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").first).to_contain_text("Mötet är registrerat.")
    assert_accessible(page)

    meeting = Meeting.objects.get(title=TITLE)
    assert re.search(rf"/meetings/{meeting.pk}/$", page.url)
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="erik.officer"))
    body = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["status"] == "held"
    assert [(i["title"], i["kind"]) for i in body["agenda_items"]] == [
        ("Regionens information om ersättningen", "information"),
        ("Dialog om ersättningsmodellen", "dialogue"),
    ]
    assert [a["title"] for a in body["action_items"]] == ["Skicka underlag till utförarna"]
    entries = {(e["organisation"]["id"], e["status"]) for e in body["attendance"][-1]["entries"]}
    assert entries == {(region.id, "present"), (halsans_hus.id, "present"), (network.id, "excused")}

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner kalenderfil (.ics)").click()
    with open(download.value.path(), "rb") as ics:
        event = icalendar.Calendar.from_ical(ics.read()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["UID"]) == f"{meeting.uid}@commissioning-dialogue"

    page.get_by_role("button", name="Beställ sammanfattning som PDF").click()
    link = page.get_by_role("link", name="Ladda ner sammanfattningen (PDF)")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
