"""The commissioning manager's consultation journey, in English: Anna of Region Norrsund
schedules a consultation on a new draft of the care-choice rulebook in the console, opens it,
answers the providers' comments as they come in (refused once for a missing reason, with
nothing lost), is refused an early close within a day, closes it when its time has passed,
is refused the adoption with its blockers listed first (a comment still unanswered, a gating
milestone open), answers the last comment from the blocker's link, downloads the comments,
previews "you said, we did", and adopts the version; then the API shows it adopted with every
response.

Earlier that week (through the services, as the demo data is made): version 3 was drafted,
and a gating milestone planned for it; the providers' comments arrive through the services
while Anna has the console open (their own pages are another journey's)."""

import csv
import datetime
import io
import zoneinfo
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import MilestoneKind, Organisation
from commissioning.selectors.milestones import open_gating_milestones
from commissioning.services import milestones as milestone_services
from contracts.services import rulebooks as rulebook_services
from dialogue.models import Consultation
from dialogue.services import comments as comment_services
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

OLD_TITLE = "Remiss: regelbok vårdval primärvård 2027, version 2"
TITLE = "Consultation on version 3 of the care-choice rulebook"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def typed(moment: datetime.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


def earlier_that_week():
    """Version 3 drafted from the last one, and a gating milestone planned for it."""
    anna = get_user_model().objects.get(username="anna.manager")
    region = Organisation.objects.get(name="Region Norrsund")
    rulebook = Consultation.objects.get(title=OLD_TITLE).rulebook_version.rulebook
    version = rulebook_services.create_rulebook_version(
        actor=anna, acting_for=region, rulebook=rulebook, summary="Opening hours reworked."
    )
    milestone_services.create_milestone(
        actor=anna,
        acting_for=region,
        programme=rulebook.programme,
        title="Provider council discusses version 3",
        kind=MilestoneKind.ENGAGEMENT,
        gating=True,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    return anna, region, version


def comments_arrive(consultation, version):
    """Sara (Hälsans Hus) objects to a clause; the network proposes; Sara asks in general."""
    people = get_user_model().objects
    sara, nils = people.get(username="sara.provider"), people.get(username="nils.network")
    halsans_hus = Organisation.objects.get(name="Hälsans Hus Norrsund AB")
    network = Organisation.objects.get(name="Vårdföretagarna Norrsund")
    clauses = list(version.clauses.order_by("position", "key"))
    made = [
        comment_services.submit_comment(
            actor=sara,
            acting_for=halsans_hus,
            consultation=consultation,
            kind="objection",
            body="Evening opening needs more staff than the payment covers.",
            clause=clauses[0],
        ),
        comment_services.submit_comment(
            actor=nils,
            acting_for=network,
            consultation=consultation,
            kind="proposal",
            body="Let the network share the evening rota.",
            suggested_wording="Members of a network may share evening opening.",
            clause=clauses[1],
        ),
        comment_services.submit_comment(
            actor=sara,
            acting_for=halsans_hus,
            consultation=consultation,
            kind="question",
            body="When is the decision taken?",
        ),
    ]
    return made


def answer(page, outcome: str, reason: str) -> None:
    page.get_by_label("Outcome").select_option(label=outcome)
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Save the response").click()
    page.wait_for_load_state()


def test_a_manager_runs_a_consultation_from_schedule_to_adoption(demo, open_page):
    anna, region, version = earlier_that_week()
    page = open_page("en")
    sign_in(page, "anna.manager")

    # Schedule, from the consultation list.
    page.goto("/consultations/")
    page.get_by_role("link", name="Schedule a consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a consultation")
    assert_accessible(page)
    save_screenshot(page, "consultation-console-schedule")
    page.get_by_label("Rulebook version").select_option(str(version.pk))
    page.get_by_label("Title").fill(TITLE)
    now = timezone.now()
    page.get_by_label("Opens").fill(typed(now + datetime.timedelta(hours=1)))
    page.get_by_label("Closes").fill(typed(now + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Schedule the consultation").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The consultation is scheduled.")).to_be_visible()
    consultation = Consultation.objects.get(rulebook_version=version)
    assert consultation.status == Consultation.Status.SCHEDULED

    # Open it now; the comments come in.
    page.get_by_role("button", name="Open the consultation now").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The consultation is open")).to_be_visible()
    objection, proposal, question = comments_arrive(consultation, version)
    page.reload()
    expect(page.locator("#console-counts")).to_contain_text("Comments: 3 · unanswered: 3")
    assert_accessible(page)

    # Only the network's comments, then all unanswered ones.
    page.get_by_label("From a network").select_option(label="Yes")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    expect(page.locator("tbody tr[id^=comment-]")).to_have_count(1)
    expect(page.locator(f"#comment-{proposal.pk}")).to_be_visible()
    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_label("Answered", exact=True).select_option(label="No")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    expect(page.locator("tbody tr[id^=comment-]")).to_have_count(3)
    save_screenshot(page, "consultation-console")

    # Answer the first: a missing reason is refused, with the outcome kept.
    page.get_by_role("link", name=f"Answer comment {objection.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Response to comment {objection.pk}")
    assert_accessible(page)
    page.get_by_label("Outcome").select_option(label="Partly accepted")
    page.get_by_role("button", name="Save the response").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Reason: Required; write at least a sentence.")
    expect(page.get_by_label("Outcome")).to_have_value("partly_accepted")
    assert_accessible(page)
    save_screenshot(page, "consultation-console-response")
    answer(page, "Partly accepted", "Evening opening is paid at a higher rate from 2027.")
    expect(page.get_by_text("it publishes at the close")).to_be_visible()
    # Saved, and on to the next unanswered comment: the network's proposal.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Response to comment {proposal.pk}")
    answer(page, "Accepted", "Networks may share the evening rota.")

    # Closing early: within a day of now is refused, nothing moves.
    page.goto(f"/consultations/{consultation.pk}/console/")
    closes_before = Consultation.objects.get(pk=consultation.pk).closes_at
    page.get_by_label("New close time").fill(typed(timezone.now() + datetime.timedelta(hours=3)))
    page.get_by_role("button", name="Move the close time").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("New close time: At least 24 hours")
    assert Consultation.objects.get(pk=consultation.pk).closes_at == closes_before
    assert_accessible(page)

    # The close time passes; Anna closes the consultation.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    page.reload()
    page.get_by_role("button", name="Close the consultation").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The consultation is closed")).to_be_visible()

    # Adoption is refused: the blockers first, each with its link.
    page.get_by_role("link", name="Adoption: what still blocks it").click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Adopt version {version.number}").click()
    page.wait_for_load_state()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("gating milestone")
    blockers = page.locator(".blockers")
    expect(blockers).to_contain_text("Comments without a response: 1")
    expect(blockers).to_contain_text("Provider council discusses version 3")
    first = page.locator("#error-summary, .blockers, form button.primary")
    assert "error-summary" in (first.first.get_attribute("id") or "")
    assert_accessible(page)
    save_screenshot(page, "consultation-console-adoption-refused")

    # The last comment, from the blocker's link; the gating milestone waived with a reason
    # (the milestone pages are another part of the pages; here the API, with Anna's session).
    page.get_by_role("link", name=f"answer comment {question.pk} from").click()
    answer(page, "Noted", "The regional board decides in March.")
    expect(page.get_by_text("The response is saved and published.")).to_be_visible()
    api = APIClient()
    api.force_authenticate(anna)
    for milestone in open_gating_milestones(programme=consultation.programme):
        waived = api.post(
            f"/api/v1/milestones/{milestone.pk}/waive/",
            {"reason": "Discussed at the extra council instead."},
            format="json",
            HTTP_X_ACTING_FOR=str(region.pk),
        )
        assert waived.status_code == 200, waived.content

    # You said, we did; the downloads.
    page.goto(f"/consultations/{consultation.pk}/console/you-said-we-did/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    expect(page.get_by_text("Published: the providers read this now.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "consultation-console-you-said-we-did")
    page.goto(f"/consultations/{consultation.pk}/console/")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the comments (CSV)").click()
    content = Path(csv_download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) == 4
    assert all(len(row) == 13 for row in rows)
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download the comments (Excel)").click()
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    outcomes = sorted(row[10] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert outcomes == ["Accepted", "Noted", "Partly accepted"]

    # Adopted.
    page.goto(f"/consultations/{consultation.pk}/console/adoption/")
    expect(page.get_by_text("Nothing blocks adoption")).to_be_visible()
    page.get_by_role("button", name=f"Adopt version {version.number}").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Version {version.number} is adopted.")).to_be_visible()

    # The API reads it back.
    adopted = api.get(f"/api/v1/rulebook-versions/{version.pk}/")
    assert adopted.status_code == 200
    assert adopted.json()["status"] == "adopted"
    read = api.get(f"/api/v1/consultations/{consultation.pk}/")
    assert read.json()["status"] == "closed"
    said = {
        comment.pk: api.get(f"/api/v1/comments/{comment.pk}/response/").json()["outcome"]
        for comment in (objection, proposal, question)
    }
    assert said == {
        objection.pk: "partly_accepted",
        proposal.pk: "accepted",
        question.pk: "noted",
    }
