"""A keyboard-only provider quotes words from the middle of a clause, in Swedish: tab to the
clause's text, move to the first word with the arrow keys, select with Shift and the arrows,
anchor the comment with the button and send it with the keyboard; the API has the comment
anchored to exactly those words. Until this change the selection always began at the
clause's first character (consultation.js extended the selection only)."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from dialogue.models import Consultation
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_consultation_journey import SPAN, TITLE, api_comments

# The clause's visible text, removed words (struck through) included: the caret moves over
# everything shown.
SHOWN_BEFORE = """([selector, text]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let shown = "";
  while (walker.nextNode()) shown += walker.currentNode.data;
  const counted = [];
  const countWalker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest("[data-removed]")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  while (countWalker.nextNode()) counted.push(countWalker.currentNode.data);
  const own = counted.join("");
  // The steps over the text as shown to the span's start and to its end: removed words
  // are stepped over too.
  const stepsTo = (wanted) => {
    let steps = 0, matched = 0;
    while (matched < wanted.length) {
      if (shown[steps] === wanted[matched]) { matched += 1; }
      steps += 1;
    }
    return steps;
  };
  const start = own.indexOf(text);
  return [stepsTo(own.slice(0, start)), stepsTo(own.slice(0, start + text.length))];
}"""


def test_a_keyboard_user_quotes_words_in_the_middle_of_a_clause(demo, open_page):
    sara = get_user_model().objects.get(username="sara.provider")
    consultation = Consultation.objects.get(title=TITLE)
    clause = consultation.rulebook_version.clauses.get(key="4.1")
    page = open_page("sv")
    sign_in(page, "sara.provider")
    page.goto(f"/consultations/{consultation.pk}/")
    selector = f"#clause-{clause.pk}-text"
    start, end = page.evaluate(SHOWN_BEFORE, [selector, SPAN])
    assert start > 0  # the words are in the middle, not at the start

    page.locator(selector).focus()  # where Tab stops: the clause text has tabindex=0
    for _ in range(start):
        page.keyboard.press("ArrowRight")
    for _ in range(end - start):
        page.keyboard.press("Shift+ArrowRight")
    assert page.locator("#caret-message").inner_text().endswith(SPAN)

    button = page.get_by_role("button", name="Lämna synpunkt på den markerade texten (punkt 4.1)")
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator("#quote-text").inner_text() == SPAN
    # The anchor moved the focus to the form's first field.
    page.keyboard.press("ArrowDown")  # the kind of comment: the next choice
    page.get_by_role("textbox", name="Din synpunkt", exact=True).focus()
    page.keyboard.type("Besök på plats tar en halv dag för oss.")
    page.get_by_role("button", name="Skicka synpunkten").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Din synpunkt skickades.")).to_be_visible()  # waits for the page
    assert_accessible(page)

    [posted] = [c for c in api_comments(sara, consultation) if "halv dag" in c["body"]]
    start = clause.text.index(SPAN)
    assert (posted["span_start"], posted["span_end"]) == (start, start + len(SPAN))
    assert posted["quoted_text"] == SPAN
