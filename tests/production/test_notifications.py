"""Notifications in the README's production topology: a meeting planned over HTTP through
gunicorn reaches each invited person by email from the Celery workers, once, with its
calendar entry; its cancellation follows as a METHOD:CANCEL of the same UID with a higher
SEQUENCE; the sweeps run again send nothing twice."""

import datetime
import email
import email.policy
import time
import uuid
from collections import Counter

import pytest
from icalendar import Calendar

from demo.people import DEMO_PASSWORD
from tests.production.topology import wait_until

pytestmark = pytest.mark.production


def signed_in(production, username, address):
    client = production.client().signed_in(username, DEMO_PASSWORD, address)
    me = client.get("/api/v1/memberships/me/").json()
    return client, me["id"], me["memberships"][0]["organisation"]["id"]


def about(production, title):
    """(recipient, parsed message) of every email whose subject names the meeting."""
    found = []
    for message in production.mailbox.received():
        if title in message.subject:
            parsed = email.message_from_bytes(message.content, policy=email.policy.default)
            found.extend((recipient, parsed) for recipient in message.to)
    return found


def calendar_of(message) -> tuple[str, str, int]:
    """METHOD, UID and SEQUENCE of the message's iCalendar part."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])


def test_a_planned_then_cancelled_meeting_reaches_each_invitee_once_per_occasion(production):
    officer, _officer_id, region = signed_in(production, "erik.officer", "203.0.113.41")
    _client, sara, sara_organisation = signed_in(production, "sara.provider", "203.0.113.42")
    _client, maria, maria_organisation = signed_in(production, "maria.alvstaden", "203.0.113.43")
    arena = officer.get("/api/v1/arenas/").json()["results"][0]["id"]
    title = f"N{uuid.uuid4().hex[:8]} provider council"
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(days=10)
    planned = officer.post(
        "/api/v1/meetings/",
        {
            "title": title,
            "arena": arena,
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "place": "Regionens hus",
            "invitees": [
                {"organisation": sara_organisation, "person": sara},
                {"organisation": maria_organisation, "person": maria},
            ],
        },
        acting_for=region,
    )
    assert planned.status == 201, planned.body
    meeting = planned.json()["id"]
    addresses = {
        address
        for (address,) in production.sql(
            "SELECT email FROM auth_user WHERE id = ANY(%s)", [sara, maria]
        )
    }
    wait_until(
        lambda: {to for to, _m in about(production, title)} >= addresses,
        timeout=90,
        what="both invitations at the SMTP server",
    )
    cancelled = officer.post(
        f"/api/v1/meetings/{meeting}/cancel/", {"reason": "The venue flooded."}, acting_for=region
    )
    assert cancelled.status == 200, cancelled.body
    wait_until(
        lambda: len(about(production, title)) >= 4,
        timeout=90,
        what="both cancellations at the SMTP server",
    )
    # The sweeps by hand, as after an outage: nothing is sent twice.
    for sweep in ("relay_pending", "deliver_pending"):
        assert production.by_hand(sweep).returncode == 0
    time.sleep(5)

    received = about(production, title)
    assert Counter(to for to, _m in received) == {address: 2 for address in addresses}
    for address in addresses:
        invitation, cancellation = [m for to, m in received if to == address]
        method, uid, sequence = calendar_of(invitation)
        cancel_method, cancel_uid, cancel_sequence = calendar_of(cancellation)
        assert (method, cancel_method) == ("REQUEST", "CANCEL")
        assert cancel_uid == uid
        assert cancel_sequence > sequence
        assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # (a long header is folded: its value may start with the fold's white space)
        assert str(invitation["List-Unsubscribe"]).strip().startswith("<https://")
        # A cancellation is a kind nobody can turn off: no one-click unsubscribe.
        assert "List-Unsubscribe" not in cancellation
        assert invitation["Content-Language"] == cancellation["Content-Language"]
