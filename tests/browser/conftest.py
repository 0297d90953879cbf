"""Browser tests: Playwright driving Debian's Chromium against a live server on the test
run's PostgreSQL.

Chromium comes from Debian's packages (`make test` installs `chromium` as root); Playwright's
own browser download is never used, as this machine's network reaches only package
registries. Each journey signs in through the sign-in page with the demo's people, so the
pages are seen as those people see them.

Screenshots of each journey's main page go to docs/screenshots/ when SAVE_SCREENSHOTS=1
(`make screenshots`); a plain test run leaves the repository untouched.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.core.management import call_command

from commissioning.models import MilestoneTemplate
from demo.people import DEMO_PASSWORD

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse
# the test's own database calls as if they came from async code. They do not.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Without these, Chromium tries Google's services at every start and this closed network
# refuses each connection (see the machine's notes); --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCALES = {"en": "en-GB", "sv": "sv-SE", "nb": "nb-NO"}
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Chromium was not found. Install Debian's package (apt-get install chromium; "
        "`make test` does it as root) or set CHROMIUM to the browser's path."
    )


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo's organisations, people, programmes, consultations and meetings.

    A live-server test's rows are committed, so the database is flushed after it, and with
    it the milestone templates that a data migration wrote; they are written again here.
    (Serialised rollback cannot do it: Playwright's sync API runs the test in a greenlet,
    whose database connection is not the one the serialised copy was stored on.)"""
    if not MilestoneTemplate.objects.exists():
        templates_migration = importlib.import_module(
            "commissioning.migrations.0004_milestone_templates"
        )
        templates_migration.load_templates(django_apps, None)
    # The demo renders a briefing PDF as it loads: into the test's own media folder (the
    # same one a journey's `media` fixture names), never the repository's.
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", verbosity=0)


@pytest.fixture
def open_page(browser, live_server, settings):
    """open_page("sv") -> a Playwright page whose browser asks for Swedish, with the live
    server's address as its base URL.

    The pages are served with the Content-Security-Policy of an HTTPS installation, and a
    test fails if the browser refused anything under it (an inline script, a foreign URL):
    the journeys are proven as production serves them."""
    settings.CONTENT_SECURITY_POLICY = settings.HTTPS_CONTENT_SECURITY_POLICY
    contexts, refusals = [], []

    def make(language: str = "en"):
        context = browser.new_context(
            base_url=live_server.url,
            locale=LOCALES[language],
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refusals.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not refusals, "The browser refused under the Content-Security-Policy:\n" + "\n".join(
        refusals
    )


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would."""
    page.goto("/sign-in/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state()


def open_menu(page) -> None:
    """On a phone the header's navigation and switches fold behind the menu button
    (commissioning/static/web/site.js): open it, as a person would, when it is folded."""
    toggle = page.locator(".menu-toggle")
    if toggle.count() and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the page as it is."""
    results = Axe().run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        },
    )
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def save_screenshot(page, name: str) -> None:
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
