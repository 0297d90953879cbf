"""The manager dashboard: programmes and milestones, relationships needing attention, open
consultations with unanswered comments, and the trends as charts with their figures as
tables; refused to providers and politicians; a bounded number of queries."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from dialogue.models import AgendaItem
from tests.dialogue import response_factories
from tests.dialogue.factories import AgendaItemFactory
from tests.dialogue.meeting_factories import meeting_in_a
from tests.factories import ProgrammeFactory
from tests.workers.document_factories import MilestoneFactory
from tests.workers.pulse_factories import PulseAnswerFactory, TrustPulseFactory

DASHBOARD = "/dashboard/"


def signed_in(world, actor: str) -> Client:
    client = Client()
    client.force_login(world.people[actor])
    return client


def dashboard_text(world, actor: str = "manager_a") -> str:
    response = signed_in(world, actor).get(DASHBOARD)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def scene(world):
    MilestoneFactory(
        programme=world.programme_a,
        title="Early dialogue with providers",
        gating=True,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    MilestoneFactory(
        programme=world.programme_a,
        title="Needs analysis published",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    MilestoneFactory(programme=world.programme_b, title="Region B gate", gating=True)
    response_factories.scene(world)
    held = world.held = meeting_in_a(
        world, held=True, title="Provider council", programme=world.programme_a
    )
    AgendaItemFactory(meeting=held, kind=AgendaItem.Kind.DIALOGUE, planned_minutes=30)
    AgendaItemFactory(meeting=held, kind=AgendaItem.Kind.INFORMATION, planned_minutes=90)
    for score in (4, 4, 5):
        PulseAnswerFactory(
            pulse=TrustPulseFactory(
                purchaser=world.purchaser_a,
                organisation=world.provider_in_a,
                programme=world.programme_a,
                occasion_date=datetime.date(2026, 5, 1),
            ),
            good_faith=score,
        )
    return world


def test_dashboard_shows_programmes_with_gating_and_overdue_milestones_in_words(scene):
    text = dashboard_text(scene)
    assert "Programme A" in text
    assert "1 gating milestone open" in text
    assert re.search(r"Needs analysis published.*?Overdue", text)
    assert 'class="is-overdue"' in text
    assert "Programme B" not in text
    assert "Region B gate" not in text


def test_dashboard_ranks_relationships_that_never_met_as_needing_attention(scene):
    text = dashboard_text(scene)
    section = text.split("Relationships needing attention", 1)[1].split("Open consultations")[0]
    assert "Provider in A" in section
    assert "Never met" in section
    assert "Provider outside A" not in section


def test_dashboard_counts_unanswered_comments_of_open_consultations(scene):
    text = dashboard_text(scene)
    row = re.search(rf"{scene.consultation.title}</a>.*?</tr>", text).group(0)
    cells = re.findall(r'<td class="number">([^<]*)</td>', row)
    assert cells == ["3", "2"]


def test_dialogue_share_chart_is_a_named_image_followed_by_its_figures(scene):
    text = dashboard_text(scene)
    assert re.search(r'<svg role="img" aria-label="Dialogue share per quarter"', text)
    held_on = timezone.localdate(scene.held.starts_at)
    label = f"{held_on.year}-Q{(held_on.month - 1) // 3 + 1}"
    row = re.search(rf'<th scope="row">{label}</th>.*?</tr>', text).group(0)
    assert re.findall(r'<td class="number">([^<]*)</td>', row) == ["1", "30", "120", "25%"]


def test_trust_chart_and_table_show_the_quarter_with_enough_answers(scene):
    text = dashboard_text(scene)
    assert re.search(r'<svg role="img" aria-label="Trust per quarter \(1–5\)"', text)
    assert re.search(r"2026-Q2</th>.*?I trust the other party to act in good faith.*?4.3", text)


def test_dashboard_without_figures_says_so_instead_of_drawing_empty_charts(world):
    text = dashboard_text(world)
    assert "<svg" not in text
    assert "No held meetings yet: no dialogue share to show." in text
    assert "No trust figures yet." in text


@pytest.mark.parametrize("actor", ["provider_in_a", "politician_a"])
def test_dashboard_is_refused_to_providers_and_politicians(scene, actor):
    response = signed_in(scene, actor).get(DASHBOARD)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Programme A" not in text
    assert "Relationships needing attention" not in text


def test_officer_also_reads_the_dashboard(scene):
    assert "Programmes and milestones" in dashboard_text(scene, "officer_a")


def test_dashboard_reads_in_a_bounded_number_of_queries(scene, django_assert_max_num_queries):
    client = signed_in(scene, "manager_a")
    client.get(DASHBOARD)
    with django_assert_max_num_queries(20):
        client.get(DASHBOARD)
    for n in range(4):
        programme = ProgrammeFactory(purchaser=scene.purchaser_a, participants=[scene.network])
        MilestoneFactory(programme=programme, title=f"Gate {n}", gating=True)
        response_factories.ConsultationFactory(programme=programme)
    with django_assert_max_num_queries(20):
        client.get(DASHBOARD)
