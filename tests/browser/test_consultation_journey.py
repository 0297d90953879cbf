"""The provider representative's journey, in English: comment on a span of a draft rulebook's
clause through the page, see it anchored in the API, be refused after the close with the
message on the page, then read the response and answer the trust pulse.

The demo's open consultation is on the Swedish rulebook (version 2, closing in three days);
Sara of Hälsans Hus Norrsund AB reads it with her browser in English."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from commissioning.models import Event, Organisation
from dialogue.models import Comment, Consultation
from dialogue.services import consultations, responses
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in
from workers import handlers
from workers.models import PulseAnswer

TITLE = "Remiss: regelbok vårdval primärvård 2027, version 2"
# Words of clause 4.1 of version 2, partly added since version 1.
SPAN = "på plats hos vårdgivaren eller digitalt"

# The viewport coordinates of the first and last character of `text` inside a clause's text
# element, counting only the clause's own text (not the words struck through as removed).
SPAN_COORDINATES = """([selector, text]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest("[data-removed]")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const whole = nodes.map((node) => node.data).join("");
  const start = whole.indexOf(text);
  const end = start + text.length;
  const at = (offset) => {
    let seen = 0;
    for (const node of nodes) {
      if (offset < seen + node.data.length) {
        const range = document.createRange();
        range.setStart(node, offset - seen);
        range.setEnd(node, offset - seen + 1);
        return range.getBoundingClientRect();
      }
      seen += node.data.length;
    }
  };
  const first = at(start), last = at(end - 1);
  return {x1: first.left + 1, y1: first.top + first.height / 2,
          x2: last.right - 1, y2: last.top + last.height / 2};
}"""


def api_comments(person, consultation) -> list[dict]:
    client = APIClient()
    client.force_authenticate(person)
    response = client.get(f"/api/v1/consultations/{consultation.pk}/comments/?page_size=100")
    assert response.status_code == 200
    return response.json()["results"]


def drag_select(page, selector: str, text: str) -> None:
    """Select `text` in the element with a real mouse drag, as a person would."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.evaluate(SPAN_COORDINATES, [selector, text])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def test_a_provider_comments_on_a_span_and_is_refused_after_the_close(demo, open_page):
    sara = get_user_model().objects.get(username="sara.provider")
    erik = get_user_model().objects.get(username="erik.officer")
    region = Organisation.objects.get(name="Region Norrsund")
    consultation = Consultation.objects.get(title=TITLE)
    clause = consultation.rulebook_version.clauses.get(key="4.1")
    page = open_page("en")
    sign_in(page, "sara.provider")

    # The list, open consultations first.
    page.get_by_role("link", name="Consultations").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Consultations"
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()

    # The consultation: clause by clause with the changes from version 1, and the countdown.
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert re.match(r"Closes in \d+ days?", page.locator("#countdown-text").inner_text())
    text = page.locator(f"#clause-{clause.pk}-text")
    assert text.locator("ins.added").count() > 0
    assert_accessible(page)

    # Select a span with the mouse, anchor the comment to it, preview, send.
    drag_select(page, f"#clause-{clause.pk}-text", SPAN)
    page.get_by_role("button", name="Comment on the selected text (clause 4.1)").click()
    assert page.locator("#quote-text").inner_text() == SPAN
    page.get_by_label("Kind of comment").select_option(label="Objection")
    page.get_by_role("textbox", name="Your comment", exact=True).fill(
        "A visit on site takes **half a day** for us."
    )
    page.get_by_role("button", name="Preview").first.click()
    assert page.locator("#comment-preview strong").inner_text() == "half a day"
    save_screenshot(page, "consultation-comment")
    page.get_by_role("button", name="Send the comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your comment was sent.").is_visible()
    assert_accessible(page)

    # The API has it, anchored to exactly that span.
    [posted] = [c for c in api_comments(sara, consultation) if "half a day" in c["body"]]
    start = clause.text.index(SPAN)
    assert posted["clause"]["id"] == clause.pk
    assert (posted["span_start"], posted["span_end"]) == (start, start + len(SPAN))
    assert posted["quoted_text"] == SPAN
    assert posted["kind"] == "objection"

    # Forms opened before the close: an edit of the comment, and a new comment in a second tab.
    page.goto(f"/consultations/{consultation.pk}/comments/{posted['id']}/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Your comment", exact=True).fill("Changed after the close.")
    second = page.context.new_page()
    second.goto(f"/consultations/{consultation.pk}/")
    second.get_by_role("textbox", name="Your comment", exact=True).fill(
        "A new comment after the close."
    )

    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    page.get_by_role("button", name="Save the change").click()
    page.wait_for_load_state()
    refusal = page.get_by_role("alert")
    assert "can no longer be added or changed" in refusal.inner_text()
    assert (
        page.get_by_role("textbox", name="Your comment", exact=True).input_value()
        == "Changed after the close."
    )
    assert_accessible(page)
    second.get_by_role("button", name="Send the comment").click()
    second.wait_for_load_state()
    assert "can no longer be added or changed" in second.get_by_role("alert").inner_text()
    assert (
        second.get_by_role("textbox", name="Your comment", exact=True).input_value()
        == "A new comment after the close."
    )
    assert_accessible(second)
    [unchanged] = [c for c in api_comments(sara, consultation) if c["id"] == posted["id"]]
    assert unchanged["revision"] == 1
    assert unchanged["body"] == posted["body"]
    assert not Comment.objects.filter(revisions__body="A new comment after the close.").exists()

    # Closed by the region, answered, the trust pulse asked: the page shows what was done.
    consultations.close_consultation(actor=erik, acting_for=region, consultation=consultation)
    responses.respond_to_comment(
        actor=erik,
        acting_for=region,
        comment=Comment.objects.get(pk=posted["id"]),
        outcome="partly_accepted",
        reason="A digital dialogue is allowed when the provider asks for one.",
    )
    handlers.pulses_after_consultation(
        Event.objects.get(verb="consultation.closed", subject_id=str(consultation.pk))
    )
    page.goto(f"/consultations/{consultation.pk}/")
    answered = page.locator(f"#comment-{posted['id']}")
    assert "You said, we did: Partly accepted" in answered.inner_text()
    assert "A digital dialogue is allowed" in answered.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Answer the trust pulse about this consultation").click()
    page.wait_for_load_state()
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("4 – agree").check()
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_load_state()
    assert page.get_by_text("Thank you: your answer was saved.").is_visible()
    assert PulseAnswer.objects.filter(pulse__person=sara).count() == 1


def test_the_countdown_follows_the_server_and_announces_only_a_new_stage(demo, open_page):
    """The page's script asks the server each minute (the browser's clock is Playwright's, so
    a minute passes at once) and shows its text; the live region speaks only when the stage
    changes: not for a tick within days, yes when the close is half an hour away, and
    "Closed" once it has passed, after which the script stops asking."""
    consultation = Consultation.objects.get(title=TITLE)
    page = open_page("en")
    page.clock.install()
    sign_in(page, "sara.provider")
    page.goto(f"/consultations/{consultation.pk}/")
    visible, spoken = page.locator("#countdown-text"), page.locator("#countdown-announcement")
    # The demo closes it at 17:00 three days on: "3 days" in the morning, "2 days" at night.
    days = (consultation.closes_at - timezone.now()).days
    expect(visible).to_have_text(re.compile(rf"Closes in {days} days"))
    expect(spoken).to_have_text("")

    def a_minute_later(closes_in: datetime.timedelta) -> dict:
        Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() + closes_in)
        with page.expect_response(lambda response: "/countdown/" in response.url) as answer:
            page.clock.fast_forward("01:00")
        said = answer.value.json()
        expect(visible).to_have_text(said["text"])
        return said

    said = a_minute_later(datetime.timedelta(days=1, hours=5))
    assert said["stage"] == "days"
    assert said["text"].startswith("Closes in 1 day")
    expect(spoken).to_have_text("")

    said = a_minute_later(datetime.timedelta(minutes=30))
    assert said["stage"] == "minutes"
    expect(spoken).to_have_text(said["text"])

    said = a_minute_later(datetime.timedelta(minutes=-1))
    assert said["closed"]
    assert said["text"].startswith("Closed ")
    expect(spoken).to_have_text(said["text"])
    expect(page.locator("#countdown")).to_have_class(re.compile(r"\bclosed\b"))
    asked = []
    page.on("request", lambda request: "/countdown/" in request.url and asked.append(request))
    page.clock.fast_forward("03:00")
    page.wait_for_timeout(500)
    assert asked == [], "the script kept asking after the close"
    assert_accessible(page)
