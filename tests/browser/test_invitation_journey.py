"""How people join, in the browser.

1. Erik, commissioning officer of Region Norrsund (Swedish), invites the first representative
   of Vårdcentralen Hamnen, a provider of the care-choice scheme with nobody in the product
   yet, from the People page. The email really goes out: the live server sends it with
   Django's SMTP backend to an SMTP server (aiosmtpd) started here, and the test reads the
   link from the message it received. The new representative opens it in an English
   browser, sets a name and a password, lands signed in on the home page acting for Hamnen,
   and comments on the open rulebook consultation.
2. James, commissioning officer of the ICB, revokes the demo's pending invitation on the
   People page; its link then answers 410 with a page that says what happened and whom to
   ask.

axe-core checks every page on the way."""

import email
import email.policy
import re
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from accounts.models import Invitation
from commissioning.models import Membership, Organisation
from demo.invitations import invitation_lines
from dialogue.models import Comment, Consultation
from tests.browser.conftest import assert_accessible, save_screenshot, sign_in

TITLE = "Remiss: regelbok vårdval primärvård 2027, version 2"
HAMNEN = "Vårdcentralen Hamnen (Region Norrsund)"
INVITEE = "ingrid.hamnen@example.org"
PASSWORD = "a long and unusual passphrase"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP server that keeps every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout: float = 15.0) -> email.message.EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in self.messages:
                    if address in str(message["To"]):
                        return message
            time.sleep(0.2)
        raise AssertionError(f"No email to {address} within {timeout} s")


@pytest.fixture
def mailbox(settings, live_server):
    """The live server sends its email by SMTP to this server; its links lead to the live
    server."""
    box = Mailbox()
    box.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = box.controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    yield box
    box.controller.stop()


def test_a_provider_representative_invited_by_email_sets_a_password_and_comments(
    demo, open_page, mailbox, live_server
):
    hamnen = Organisation.objects.get(name=HAMNEN)
    consultation = Consultation.objects.get(title=TITLE)

    # Erik invites Hamnen's first representative, in English, from the People page.
    page = open_page("sv")
    sign_in(page, "erik.officer")
    page.get_by_role("link", name="Personer").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Personer"
    assert_accessible(page)
    page.get_by_label("E-postadress").fill(INVITEE)
    page.locator("#id_organisation").select_option(label=HAMNEN)
    page.get_by_label("Roll").select_option(label="Företrädare för vårdgivare")
    page.get_by_label("Organisationsadministratör").check()
    page.get_by_label("Mejlets språk").select_option(label="Engelska")
    save_screenshot(page, "people")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Inbjudan till {INVITEE} är på väg").is_visible()
    assert_accessible(page)

    # The email that was really sent, in the language chosen for it.
    message = mailbox.wait_for(INVITEE)
    assert message["Content-Language"] == "en"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"invites you to {HAMNEN} as provider representative" in text
    [link] = re.findall(re.escape(live_server.url) + r"/invitations/[^\s/]+/", text)

    # The new representative opens it in an English browser and sets a password.
    newcomer = open_page("en")
    answer = newcomer.goto(link)
    assert answer.status == 200
    assert newcomer.get_by_role("heading", level=1).inner_text() == f"Join {HAMNEN}"
    assert_accessible(newcomer)
    save_screenshot(newcomer, "invitation-join")
    newcomer.get_by_label("First name").fill("Ingrid")
    newcomer.get_by_label("Last name").fill("Strand")
    newcomer.locator("#id_password1").fill("password")
    newcomer.locator("#id_password2").fill("password")
    newcomer.get_by_role("button", name="Join and sign in").click()
    newcomer.wait_for_load_state()
    assert "This password is too common" in newcomer.locator("#error-summary").inner_text()
    assert_accessible(newcomer)
    newcomer.locator("#id_password1").fill(PASSWORD)
    newcomer.locator("#id_password2").fill(PASSWORD)
    newcomer.get_by_role("button", name="Join and sign in").click()
    newcomer.wait_for_load_state()
    assert newcomer.url == f"{live_server.url}/"
    assert newcomer.get_by_text(
        f"Welcome: you are now provider representative of {HAMNEN}."
    ).is_visible()
    assert_accessible(newcomer)
    ingrid = get_user_model().objects.get(email=INVITEE)
    assert Membership.objects.get(person=ingrid).organisation == hamnen
    assert Membership.objects.get(person=ingrid).is_admin

    # Signed in, she comments on the open consultation.
    newcomer.get_by_role("link", name="Consultations").first.click()
    newcomer.wait_for_load_state()
    newcomer.get_by_role("link", name=TITLE).click()
    newcomer.wait_for_load_state()
    newcomer.get_by_label("Kind of comment").select_option(label="Support")
    newcomer.get_by_role("textbox", name="Your comment", exact=True).fill(
        "Hamnen supports digital follow-up visits."
    )
    newcomer.get_by_role("button", name="Send the comment").click()
    newcomer.wait_for_load_state()
    assert newcomer.get_by_text("Your comment was sent.").is_visible()
    assert_accessible(newcomer)
    comment = Comment.objects.get(consultation=consultation, organisation=hamnen)
    assert comment.author == ingrid

    # The link worked once.
    used = open_page("en")
    assert used.goto(link).status == 410
    assert used.get_by_role("heading", level=1).inner_text() == "Invitation already used"


def test_a_revoked_invitation_link_answers_with_a_clear_page(demo, open_page, live_server):
    invitation = Invitation.objects.get()
    [link] = [line.strip() for line in invitation_lines() if "/invitations/" in line]
    path = link.removeprefix("http://localhost:8000")

    page = open_page("en")
    sign_in(page, "james.officer")
    page.get_by_role("link", name="People").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name=f"Revoke the invitation to {invitation.email}").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"The invitation to {invitation.email} was revoked").is_visible()
    assert_accessible(page)

    visitor = open_page("en")
    answer = visitor.goto(path)

    assert answer.status == 410
    assert visitor.get_by_role("heading", level=1).inner_text() == "Invitation withdrawn"
    alert = visitor.get_by_role("alert").inner_text()
    assert "This invitation was withdrawn on" in alert
    assert "ask James Patel (NHS North Riverside Integrated Care Board)" in alert
    assert_accessible(visitor)
