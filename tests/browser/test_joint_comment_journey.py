"""A network's joint comment, in Swedish: Nils of Vårdföretagarna Norrsund drafts a comment on
the open rulebook consultation and circulates it to the members; Johan (Familjeläkarna) and
Per (Norrlandsläkarna) find it on their home pages and co-sign it; Nils submits it and gets
its reference and a printable receipt. Until then no one else reads the draft; the API then
reads the comment with both co-signatures. Withdrawing asks first."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from rest_framework.test import APIClient

from dialogue.models import Comment, Consultation
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Remiss: regelbok vårdval primärvård 2027, version 2"
NETWORK = "Vårdföretagarna Norrsund"
TEXT = "Nätverket föreslår att väntetider rapporteras **kvartalsvis** i stället för varje månad."


def api_get(username: str, path: str):
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    return client.get(path)


def cosign_from_home(open_page, username: str) -> None:
    page = open_page("sv")
    sign_in(page, username)
    page.goto("/")
    card = page.get_by_role("region", name="Gemensamma synpunkter som väntar på din medunderskrift")
    expect(card).to_be_visible()
    if username == "johan.familjelakarna":
        assert_accessible(page)
        save_screenshot(page, "joint-comment-home-awaiting")
    card.get_by_role("link", name=f"{NETWORK}: {TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Utkast till gemensam synpunkt från {NETWORK}"
    )
    page.get_by_role("button", name="Underteckna").click()
    expect(page.get_by_text("Du medundertecknade nätverkets utkast")).to_be_visible()
    expect(page.get_by_role("button", name="Återkalla min underskrift")).to_be_visible()
    page.goto("/")
    expect(
        page.get_by_role("region", name="Gemensamma synpunkter som väntar på din medunderskrift")
    ).to_have_count(0)


def test_a_network_drafts_circulates_gets_two_cosignatures_and_submits(demo, open_page):
    consultation = Consultation.objects.get(title=TITLE)
    nils = open_page("sv")
    sign_in(nils, "nils.network")
    nils.goto(f"/consultations/{consultation.pk}/")
    nils.locator("#id_kind").select_option("proposal")
    nils.locator("#id_body").fill(TEXT)
    nils.locator("#id_suggested_wording").fill("Väntetider rapporteras varje kvartal.")
    nils.get_by_role("button", name="Spara som utkast").click()
    expect(nils.get_by_role("heading", level=1)).to_have_text(
        f"Utkast till gemensam synpunkt från {NETWORK}"
    )
    draft_id = int(nils.url.rstrip("/").split("/")[-1])
    # A draft is no comment of the consultation: the officer's API list does not have it.
    listed = api_get("erik.officer", f"/api/v1/consultations/{consultation.pk}/comments/")
    assert draft_id not in [c["id"] for c in listed.json()["results"]]
    assert api_get("johan.familjelakarna", f"/api/v1/drafts/{draft_id}/").status_code == 404

    nils.get_by_role("button", name="Skicka till medlemmarna").click()
    expect(nils.get_by_text("Utkastet skickades till medlemmarna")).to_be_visible()
    assert_accessible(nils)
    save_screenshot(nils, "joint-comment-draft")

    cosign_from_home(open_page, "johan.familjelakarna")
    cosign_from_home(open_page, "per.norrland")

    nils.reload()
    expect(nils.get_by_text("Familjeläkarna i Norrsund AB")).to_be_visible()
    expect(nils.get_by_text("Norrlandsläkarna AB")).to_be_visible()
    nils.get_by_role("button", name="Skicka in den gemensamma synpunkten").click()
    expect(nils.get_by_text("Den gemensamma synpunkten skickades in")).to_be_visible()
    comment = Comment.objects.get(pk=draft_id)
    expect(nils.locator(".reference")).to_have_text(comment.reference)
    assert_accessible(nils)
    save_screenshot(nils, "joint-comment-submitted")

    nils.get_by_role("link", name="Kvitto för utskrift").click()
    expect(nils.get_by_role("heading", level=1)).to_have_text(f"Kvitto {comment.reference}")
    expect(nils.locator(".markdown strong")).to_have_text("kvartalsvis")
    assert_accessible(nils)
    save_screenshot(nils, "comment-receipt")

    # Withdrawing asks first; "no" leaves the comment as it was.
    nils.get_by_role("link", name="Tillbaka till synpunkten").click()
    nils.get_by_role("link", name="Återkalla synpunkten").click()
    expect(nils.get_by_role("heading", level=1)).to_have_text("Återkalla din synpunkt?")
    assert_accessible(nils)
    save_screenshot(nils, "comment-withdraw-confirm")
    nils.get_by_role("link", name="Nej, behåll den").click()
    expect(nils.locator(".reference")).to_have_text(comment.reference)

    read = api_get("erik.officer", f"/api/v1/comments/{draft_id}/")
    assert read.status_code == 200
    answer = read.json()
    assert answer["status"] == "submitted"
    assert answer["organisation"]["name"] == NETWORK
    assert answer["reference"] == comment.reference
    assert answer["body"] == TEXT
    assert sorted(c["organisation"]["name"] for c in answer["cosigners"]) == [
        "Familjeläkarna i Norrsund AB",
        "Norrlandsläkarna AB",
    ]
