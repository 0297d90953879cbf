"""The politician's briefings journey in Norwegian Bokmål: the municipality's manager orders
a briefing and watches it until the download appears; the politician then opens the
programme's overview and downloads a PDF written in Norwegian.

Jobs run in-process (no broker in the test run), so the briefing is rendered when the order
is committed; the progress fragment is what the page shows either way."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect
from pypdf import PdfReader

from commissioning.models import Programme
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in
from workers.documents import render
from workers.models import Document

User = get_user_model()

PROGRAMME = "Samarbeidsavtale Fjordvik kommune – Helse Fjordvik HF"
# Headings of the briefing template in the Norwegian catalogue (workers/documents/render.py
# SECTIONS): the PDF is Norwegian only if these are in it.
NORWEGIAN_HEADINGS = ["Status og kommende vedtak", "Likebehandling"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_manager_orders_a_norwegian_briefing_and_the_politician_downloads_it(
    demo, media, open_page
):
    manager = open_page("nb")
    sign_in(manager, "ingrid.manager")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    assert_accessible(manager)

    manager.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Orienteringer"
    ).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Orienteringer")
    assert_accessible(manager)
    manager.get_by_role("link", name=PROGRAMME).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    # The order speaks the language of the municipality's council: Norwegian by default.
    expect(manager.get_by_label("Orienteringens språk")).to_have_value("nb")
    assert_accessible(manager)

    manager.get_by_role("button", name="Bestill en ny orientering").click()
    progress = manager.get_by_role("status")
    expect(progress).to_contain_text("Din bestilling")
    download_link = progress.get_by_role("link", name=re.compile("Last ned orienteringen"))
    expect(download_link).to_be_visible(timeout=60_000)
    assert_accessible(manager)
    document = Document.objects.get(kind=Document.Kind.BRIEFING)
    assert (document.language, document.status) == ("nb", Document.Status.DONE)

    politician = open_page("nb")
    sign_in(politician, "solveig.politician")
    expect(politician.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    assert_accessible(politician)
    politician.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Orienteringer"
    ).click()
    assert_accessible(politician)
    politician.get_by_role("link", name=PROGRAMME).click()
    expect(politician.get_by_role("heading", level=1)).to_have_text(PROGRAMME)
    # A politician reads and downloads; ordering is for the municipality's staff.
    expect(politician.get_by_role("button", name="Bestill en ny orientering")).to_have_count(0)
    assert_accessible(politician)
    save_screenshot(politician, "politician-briefings")

    with politician.expect_download() as download_info:
        politician.get_by_role("link", name="Last ned den siste orienteringen").click()
    pdf = Path(download_info.value.path())
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = re.sub(r"\s+", " ", text)
    for heading in NORWEGIAN_HEADINGS:
        assert heading in text
    assert "Status and decisions ahead" not in text


def test_progress_polls_every_two_seconds_until_the_link_appears(demo, media, open_page):
    """A briefing still queued (as with a real worker): the page polls its state and shows
    the download as soon as the render is done, without a reload."""
    manager = User.objects.get(username="ingrid.manager")
    programme = Programme.objects.get(name=PROGRAMME)
    document = Document.objects.create(
        kind=Document.Kind.BRIEFING,
        purchaser=programme.purchaser,
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id=str(programme.id),
        language="nb",
        inputs_hash="queued-in-the-browser-test",
        requested_by=manager,
        acting_for=programme.purchaser,
    )
    page = open_page("nb")
    sign_in(page, "ingrid.manager")
    page.goto(f"/briefings/programmes/{programme.id}/?document={document.id}")
    progress = page.get_by_role("status")
    expect(progress).to_contain_text("Orienteringen venter på tur.")
    assert_accessible(page)
    render.render_now(document.id)
    expect(progress.get_by_role("link", name=re.compile("Last ned orienteringen"))).to_be_visible(
        timeout=20_000
    )
    expect(progress).not_to_contain_text("venter på tur")
