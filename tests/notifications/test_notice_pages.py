"""The person's notifications on the pages: the unread count in the header of every page,
the list (unread first, a page at a time), opening one (read, and on to its page), "mark
read" and "mark all read"; another person's notice is as missing."""

import pytest
from django.utils import timezone

from notifications.models import Notice
from tests.notifications.factories import NoticeFactory
from tests.pages import signed_in, text

pytestmark = pytest.mark.django_db


def main(response) -> str:
    return text(response).split("<main", 1)[1].split("</main>", 1)[0]


def notice(world, actor="officer_a", **fields) -> Notice:
    return NoticeFactory(person=world.people[actor], about=world.programme_a, **fields)


def test_every_page_says_how_many_notifications_are_unread_in_words(world):
    notice(world)
    notice(world)
    notice(world, read_at=timezone.now())
    home = text(signed_in(world).get("/"))
    assert '<a href="/notifications/" class="notifications-link">Notifications (2 unread)</a>' in (
        home
    )
    Notice.objects.update(read_at=timezone.now())
    assert ">Notifications</a>" in text(signed_in(world).get("/profile/"))


def test_the_list_shows_the_unread_first_marked_in_words_and_only_the_persons_own(world):
    old_unread = notice(world, title="Older but unread")
    notice(world, title="Newer and read", read_at=timezone.now())
    notice(world, "manager_a", title="Not yours")
    page = text(signed_in(world).get("/notifications/"))
    assert page.index("Older but unread") < page.index("Newer and read")
    assert "Not yours" not in page
    assert "Unread" in page
    assert "1 unread." in page
    assert f'href="/notifications/{old_unread.pk}/"' in page


def test_the_list_comes_a_page_at_a_time(world):
    for number in range(30):
        notice(world, title=f"Notice number {number:02d}")
    client = signed_in(world)
    first = text(client.get("/notifications/"))
    second = text(client.get("/notifications/?page=2"))
    assert first.count('class="notice unread"') == 25
    assert second.count('class="notice unread"') == 5
    assert "Page 2 of 2" in second
    assert 'rel="prev"' in second


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(world):
    item = notice(world, url="/programmes/")
    response = signed_in(world).get(f"/notifications/{item.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/programmes/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_read_and_mark_all_read(world):
    first, second, third = notice(world), notice(world), notice(world)
    client = signed_in(world)
    response = client.post(f"/notifications/{first.pk}/read/", {"page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    assert list(Notice.objects.filter(read_at__isnull=True).order_by("pk")) == [second, third]
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    assert "(2)" in text(client.get(response["Location"]))


def test_another_persons_notice_is_as_missing_and_stays_unread(world):
    theirs = notice(world, "manager_a")
    client = signed_in(world)
    missing = client.post("/notifications/999999/read/")
    refused = client.post(f"/notifications/{theirs.pk}/read/")
    opened = client.get(f"/notifications/{theirs.pk}/")
    assert missing.status_code == refused.status_code == opened.status_code == 404
    assert main(missing) == main(refused)
    theirs.refresh_from_db()
    assert theirs.read_at is None
