"""The milestone pages (commissioning/web/milestones.py): overdue first; staff plan from the
template and mark met with evidence (both saved, or neither); only a manager waives, and
only with a reason."""

import datetime
import re

import pytest
from django.utils import timezone

from commissioning.models import Milestone, MilestoneEvidence
from tests.commissioning.milestone_factories import MilestoneFactory
from tests.pages import signed_in, text

pytestmark = pytest.mark.django_db


def test_overdue_milestones_come_first(world):
    today = timezone.localdate()
    MilestoneFactory(
        programme=world.programme_a, title="Later", due_date=today + datetime.timedelta(days=5)
    )
    MilestoneFactory(
        programme=world.programme_a, title="Late", due_date=today - datetime.timedelta(days=5)
    )
    MilestoneFactory(programme=world.programme_b, title="Of B", due_date=today)
    page = signed_in(world).get("/milestones/").content.decode()
    titles = re.findall(r'<a href="/milestones/\d+/">([^<]+)</a>', page)
    assert titles == ["Late", "Later"]


def test_staff_plan_from_the_template_and_a_second_time_is_refused(world):
    client = signed_in(world, "officer_a")
    programme = world.programme_a.pk
    first = client.post("/milestones/plan/", {"programme": programme})
    assert first.status_code == 302
    planned = Milestone.objects.filter(programme=world.programme_a).count()
    assert planned > 0
    again = client.post("/milestones/plan/", {"programme": programme})
    assert again.status_code == 409
    assert "was already applied here" in text(again)
    assert Milestone.objects.filter(programme=world.programme_a).count() == planned


def test_a_provider_is_offered_no_plan_and_no_met_form(world):
    milestone = MilestoneFactory(programme=world.programme_a)
    client = signed_in(world, "provider_in_a")
    assert "Plan the milestones" not in text(client.get("/milestones/"))
    assert "Mark met" not in text(client.get(f"/milestones/{milestone.pk}/"))
    assert client.post("/milestones/plan/", {"programme": world.programme_a.pk}).status_code == 403


def test_marked_met_with_evidence_saves_both(world):
    milestone = MilestoneFactory(programme=world.programme_a)
    response = signed_in(world).post(
        f"/milestones/{milestone.pk}/met/",
        {
            "met_on": timezone.localdate().isoformat(),
            "evidence_kind": "link",
            "evidence_title": "Minutes of the council",
            "evidence_url": "https://example.org/minutes",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.MET
    assert milestone.evidence.get().title == "Minutes of the council"


def test_a_met_date_in_the_future_saves_neither_the_evidence_nor_the_status(world):
    milestone = MilestoneFactory(programme=world.programme_a)
    response = signed_in(world).post(
        f"/milestones/{milestone.pk}/met/",
        {
            "met_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "evidence_kind": "link",
            "evidence_title": "Minutes",
            "evidence_url": "https://example.org/minutes",
        },
    )
    assert response.status_code == 400
    assert "Met on: In the future." in text(response)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED
    assert not MilestoneEvidence.objects.exists()


def test_link_evidence_without_its_address_is_refused_beside_the_link_field(world):
    milestone = MilestoneFactory(programme=world.programme_a)
    response = signed_in(world).post(
        f"/milestones/{milestone.pk}/met/", {"evidence_kind": "link", "evidence_title": "Minutes"}
    )
    assert response.status_code == 400
    assert "Link to the evidence: Required for a link." in text(response)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED


def test_another_purchasers_milestone_is_not_found(world):
    milestone = MilestoneFactory(programme=world.programme_b)
    assert signed_in(world).get(f"/milestones/{milestone.pk}/").status_code == 404


def test_the_list_pages_in_the_same_number_of_queries(world, django_assert_max_num_queries):
    today = timezone.localdate()
    for number in range(60):
        MilestoneFactory(
            programme=world.programme_a,
            title=f"Step {number:02d}",
            due_date=today + datetime.timedelta(days=number - 30),
        )
    client = signed_in(world)
    with django_assert_max_num_queries(16):
        first = client.get("/milestones/?per_page=25")
    with django_assert_max_num_queries(16):
        last = client.get("/milestones/?per_page=25&page=3")
    titles = re.findall(r'<a href="/milestones/\d+/">([^<]+)</a>', first.content.decode())
    assert titles[0] == "Step 00"  # the most overdue first
    assert "Rows 51–60 of 60" in text(last)
