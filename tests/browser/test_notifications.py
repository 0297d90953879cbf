"""Notifications on a phone (390 px wide), in a real browser: the unread count in words in
the header, the list with the unread marked, "mark read" and "mark all read", and a kind
put in the daily digest on the profile; every page passes axe."""

import re

from playwright.sync_api import expect

from notifications.models import Preference
from tests.browser.conftest import assert_accessible, open_menu, save_screenshot, sign_in
from tests.browser.test_profile import PHONE, assert_fits

UNREAD = re.compile(r"^Notifications \((\d+) unread\)$")


def unread_in_header(page) -> int:
    open_menu(page)
    link = page.get_by_role("banner").get_by_role("link", name=UNREAD)
    expect(link).to_be_visible()
    return int(UNREAD.match(link.inner_text().strip()).group(1))


def test_a_manager_on_a_phone_reads_notifications_and_puts_a_kind_in_the_digest(demo, open_page):
    page = open_page("en")
    page.set_viewport_size(PHONE)
    sign_in(page, "anna.manager")
    unread = unread_in_header(page)
    assert unread >= 2
    assert_fits(page)
    assert_accessible(page)

    open_menu(page)
    page.get_by_role("banner").get_by_role("link", name=UNREAD).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your notifications")
    expect(page.get_by_text("Unread", exact=True).first).to_be_visible()
    expect(page.get_by_text("Read", exact=True).first).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    save_screenshot(page, "notifications")

    page.get_by_role("button", name=re.compile(r"^Mark read")).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text("Marked read:")
    assert unread_in_header(page) == unread - 1

    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state()
    open_menu(page)
    expect(
        page.get_by_role("banner").get_by_role("link", name="Notifications", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name=UNREAD)).to_have_count(0)
    assert_accessible(page)

    # Opening a notice goes to its subject's page (a meeting's, or a concern's since concerns
    # have pages).
    page.locator(".notice-title a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/(meetings|concerns)/\d+/$", page.url), page.url

    open_menu(page)

    page.get_by_role("link", name="Profile").click()
    page.wait_for_load_state()
    settings = page.locator("#notifications")
    settings.get_by_role("group", name="Approved minutes").get_by_label(
        "In my daily digest"
    ).check()
    settings.get_by_label("Time of the daily digest").fill("08:30")
    settings.get_by_role("button", name="Save notification settings").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text(
        "Your notification settings are saved."
    )
    group = page.locator("#notifications").get_by_role("group", name="Approved minutes")
    expect(group.get_by_label("In my daily digest")).to_be_checked()
    expect(page.get_by_label("Time of the daily digest")).to_have_value("08:30")
    assert (
        Preference.objects.get(person__username="anna.manager", kind="minutes_approved").delivery
        == "digest"
    )
    assert_fits(page)
    assert_accessible(page)
    save_screenshot(page, "notification-settings")
