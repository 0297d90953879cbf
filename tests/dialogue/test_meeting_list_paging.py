"""The meeting list as every page list works (commissioning/web/lists.py): 500 meetings are
paged, filtered and sorted by what the URL says, in the same number of queries on every page;
a filter typed wrong is a 400 naming the field as the filter form labels it; a page past the
end is a 404 that says how many pages there are."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import Meeting
from tests.dialogue.factories import ArenaFactory, MeetingFactory
from tests.pages import signed_in, text

MEETINGS = 500


@pytest.fixture
def many(world):
    """500 meetings of purchaser A, one a day from 250 days ago, every fifth one cancelled;
    and one of purchaser B, which officer A never sees."""
    arena = ArenaFactory(purchaser=world.purchaser_a, members=[world.provider_in_a])
    start = timezone.now() - datetime.timedelta(days=250)
    Meeting.objects.bulk_create(
        Meeting(
            purchaser=world.purchaser_a,
            arena=arena,
            title=f"Council {number:03d}",
            starts_at=start + datetime.timedelta(days=number),
            ends_at=start + datetime.timedelta(days=number, hours=2),
            status=Meeting.Status.CANCELLED if number % 5 == 0 else Meeting.Status.PLANNED,
        )
        for number in range(MEETINGS)
    )
    MeetingFactory(arena=ArenaFactory(purchaser=world.purchaser_b), title="Council of B")
    return arena


def titles(response) -> list[str]:
    return re.findall(r'<a href="/meetings/\d+/">(Council [^<]+)</a>', response.content.decode())


def test_the_list_pages_through_all_500_in_order_without_a_row_twice(world, many):
    client = signed_in(world)
    seen = []
    for number in range(1, 6):
        response = client.get(f"/meetings/?sort=starts_at&per_page=100&page={number}")
        assert response.status_code == 200
        seen += titles(response)
    assert seen == [f"Council {number:03d}" for number in range(MEETINGS)]
    assert "Council of B" not in seen
    last = text(client.get("/meetings/?sort=starts_at&per_page=100&page=5"))
    assert "Rows 401–500 of 500" in last
    assert "Page 5 of 5" in last
    assert 'rel="next"' not in last


def test_filters_and_sort_come_from_the_url_and_the_links_keep_them(world, many):
    response = signed_in(world).get("/meetings/?status=cancelled&sort=-title")
    shown = titles(response)
    assert shown[:3] == ["Council 495", "Council 490", "Council 485"]
    assert len(shown) == 25
    page = text(response)
    assert "Rows 1–25 of 100" in page
    # The next page keeps the filter and the sort; the column heading reverses the sort.
    assert 'href="?status=cancelled&amp;sort=-title&amp;page=2" rel="next"' in page
    assert 'aria-sort="descending"' in page
    assert 'href="?status=cancelled&amp;sort=title"' in page


def test_upcoming_and_title_search_narrow_the_list(world, many):
    response = signed_in(world).get("/meetings/?when=upcoming&title=council+2&sort=starts_at")
    shown = titles(response)
    assert shown
    assert all(title.startswith("Council 2") for title in shown)
    assert all(int(title.split()[1]) >= 250 for title in shown)


def test_every_page_costs_the_same_queries(world, many):
    client = signed_in(world)
    client.get("/meetings/")  # the session's acting-for is settled on the first page
    with CaptureQueriesContext(connection) as first:
        client.get("/meetings/?page=1")
    with CaptureQueriesContext(connection) as last:
        client.get("/meetings/?page=20")
    assert len(first.captured_queries) == len(last.captured_queries) <= 12


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("status=postponed", "Status: Select a valid choice."),
        ("sort=colour", "Sort by: Select a valid choice."),
        ("page=zero", "Page: Enter a whole number."),
    ],
)
def test_a_filter_typed_wrong_is_a_400_naming_the_field(world, many, query, says):
    response = signed_in(world).get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert says in text(response)
    assert titles(response) == []


def test_a_page_past_the_end_says_how_many_there_are(world, many):
    response = signed_in(world).get("/meetings/?page=21")
    assert response.status_code == 404
    assert "There is no page 21: this list has 20." in text(response)


def test_an_empty_list_says_what_to_do_next(world):
    officer = signed_in(world)
    page = text(officer.get("/meetings/"))
    assert "No meetings yet." in page
    assert 'class="button primary" href="/meetings/log/"' in page
    filtered = text(officer.get("/meetings/?title=nothing+like+this"))
    assert "Nothing matches these filters." in filtered
    assert "Clear the filters" in filtered
