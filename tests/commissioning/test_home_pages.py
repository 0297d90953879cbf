"""The home page shows each role what needs them now, within a bounded number of queries."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.models import Milestone
from dialogue.models import Consultation
from tests.dialogue import response_factories
from tests.dialogue.meeting_factories import ActionItemFactory, meeting_in_a
from tests.factories import ProgrammeFactory
from tests.workers.document_factories import MilestoneFactory


def signed_in(world, actor: str) -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def home_text(world, actor: str) -> str:
    response = signed_in(world, actor).get("/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def staff_scene(world):
    held = meeting_in_a(world, held=True)
    world.overdue_action = ActionItemFactory(
        meeting=held,
        title="Send the opening-hours proposal",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    world.done_action = ActionItemFactory(
        meeting=held, title="Book the room", status="done", closed_at=timezone.now()
    )
    world.upcoming = meeting_in_a(world, title="Provider council in spring")
    response_factories.scene(world)
    world.gating = MilestoneFactory(
        programme=world.programme_a,
        title="Early dialogue with providers",
        gating=True,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    world.late = MilestoneFactory(
        programme=world.programme_a,
        title="Needs analysis published",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    MilestoneFactory(
        programme=world.programme_a,
        title="Kick-off held",
        status=Milestone.Status.MET,
        met_on=timezone.localdate(),
    )
    MilestoneFactory(programme=world.programme_b, title="Region B gate", gating=True)
    return world


def test_staff_home_lists_open_actions_with_the_overdue_one_marked_in_words(staff_scene):
    text = home_text(staff_scene, "officer_a")
    assert "Send the opening-hours proposal" in text
    assert re.search(r"Send the opening-hours proposal.*?Overdue", text)
    assert "Book the room" not in text


def test_staff_home_lists_upcoming_meetings_linked_to_their_page(staff_scene):
    text = home_text(staff_scene, "officer_a")
    assert f'<a href="/meetings/{staff_scene.upcoming.id}/">Provider council in spring</a>' in text


def test_staff_home_counts_unanswered_comments_of_open_consultations(staff_scene):
    text = home_text(staff_scene, "manager_a")
    assert staff_scene.consultation.title in text
    assert "2 unanswered comments" in text


def test_staff_home_lists_gating_and_overdue_milestones_only_of_their_purchaser(staff_scene):
    text = home_text(staff_scene, "manager_a")
    assert re.search(r"Early dialogue with providers.*?Gating", text)
    assert re.search(r"Needs analysis published.*?Overdue", text)
    assert "Kick-off held" not in text
    assert "Region B gate" not in text


def test_provider_home_lists_open_consultations_and_own_comments(staff_scene):
    text = home_text(staff_scene, "provider_in_a")
    assert "Consultations open for your comments" in text
    assert staff_scene.consultation.title in text
    comment = staff_scene.provider_comment
    assert f"/consultations/{comment.consultation_id}/comments/{comment.id}/" in text
    # Staff lists are not shown to a provider.
    assert "Your open actions" not in text


def test_provider_home_hides_responses_until_the_close(staff_scene):
    text = home_text(staff_scene, "provider_in_a")
    assert "No responses published lately." in text


def test_provider_home_shows_responses_once_published(staff_scene):
    response_factories.close(staff_scene.consultation)
    text = home_text(staff_scene, "provider_in_a")
    assert "Responses to your comments" in text
    assert re.search(r"Responses to your comments.*?Accepted", text)


def test_provider_home_skips_consultations_it_is_not_invited_to(staff_scene):
    text = home_text(staff_scene, "provider_outside")
    assert staff_scene.consultation.title not in text
    assert "No consultation is open for you now." in text


def test_politician_home_lists_their_purchasers_programmes_linked_to_briefings(world):
    text = home_text(world, "politician_a")
    assert f'<a href="/briefings/programmes/{world.programme_a.id}/">Programme A</a>' in text
    assert "Programme B" not in text
    assert "Your open actions" not in text


def test_staff_home_reads_in_a_bounded_number_of_queries(
    staff_scene, django_assert_max_num_queries
):
    client = signed_in(staff_scene, "manager_a")
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")
    # More of everything does not mean more queries.
    for n in range(5):
        ActionItemFactory(meeting=staff_scene.overdue_action.meeting, title=f"Extra {n}")
        response_factories.ConsultationFactory(
            programme=ProgrammeFactory(purchaser=staff_scene.purchaser_a),
            status=Consultation.Status.OPEN,
        )
        MilestoneFactory(programme=staff_scene.programme_a, title=f"Gate {n}", gating=True)
    with django_assert_max_num_queries(12):
        client.get("/")


def test_provider_home_reads_in_a_bounded_number_of_queries(
    staff_scene, django_assert_max_num_queries
):
    client = signed_in(staff_scene, "provider_in_a")
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")
