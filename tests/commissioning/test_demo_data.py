"""The demo promises (issues 4 and 6): milestones from the templates with some met and one
overdue per programme, the English contract held in negotiation by its open gate, a year of
meetings in every arena, open concerns, overdue actions, a relationship 120 days without a
meeting, and a private provider never invited to the Swedish provider council."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.models import (
    Event,
    Membership,
    Milestone,
    MilestoneTemplateStep,
    Organisation,
    Programme,
)
from commissioning.selectors import open_gating_milestones
from contracts.models import Contract, Obligation, RulebookVersion
from dialogue.concerns import OPEN_STATUSES
from dialogue.dialogue_share import information_heavy_condition, with_minutes
from dialogue.models import ActionItem, Arena, Concern, Meeting

HELD = [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]


@pytest.fixture
def demo(db, capsys):
    call_command("load_demo_data")
    return capsys.readouterr().out


def client_as(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    return client


def overdue(milestones) -> list[Milestone]:
    today = timezone.localdate()
    return [
        m
        for m in milestones
        if m.status == Milestone.Status.PLANNED
        and m.effective_due_date is not None
        and m.effective_due_date < today
    ]


def test_demo_data_loads_once_with_a_login_per_role(db, capsys):
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert Programme.objects.count() == 3
    assert set(Programme.objects.values_list("framework", flat=True)) == {
        "se_care_choice",
        "uk_provider_selection",
        "no_cooperation_agreement",
    }
    care_choice = Programme.objects.get(framework="se_care_choice")
    ownerships = set(
        care_choice.participants.filter(kind="provider").values_list("ownership", flat=True)
    )
    assert ownerships == {"public", "private", "non_profit"}
    assert care_choice.participants.filter(kind="provider").count() == 6
    assert care_choice.participants.filter(kind="provider_network").count() == 1
    assert set(Membership.objects.values_list("role", flat=True)) == set(Membership.Role.values)
    for username in ("anna.manager", "erik.officer", "sara.provider", "karin.politician"):
        assert username in output
    events = Event.objects.count()
    assert events > 0

    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out
    assert Programme.objects.count() == 3
    assert Organisation.objects.filter(name="Region Norrsund").count() == 1
    assert Meeting.objects.count() == 24
    assert Event.objects.count() == events


def test_each_programme_has_its_template_milestones_some_met_and_one_overdue(demo):
    for programme in Programme.objects.all():
        steps = MilestoneTemplateStep.objects.filter(template__framework=programme.framework)
        own_steps = steps.filter(applies_to="programme")
        own = programme.milestones.filter(contract__isnull=True)
        assert set(own.values_list("template_step", flat=True)) == set(
            own_steps.values_list("id", flat=True)
        ), programme.name
        milestones = list(programme.milestones.all())
        assert sum(m.status == Milestone.Status.MET for m in milestones) >= 2, programme.name
        assert len(overdue(milestones)) == 1, programme.name


def test_met_milestones_carry_the_meeting_that_shows_them(demo):
    met = Milestone.objects.filter(status=Milestone.Status.MET)
    with_meeting = met.filter(evidence__kind="meeting").distinct()
    assert with_meeting.count() >= 4
    for milestone in with_meeting:
        evidence = milestone.evidence.get(kind="meeting")
        meeting = Meeting.objects.get(pk=evidence.subject_id)
        assert meeting.purchaser_id == milestone.programme.purchaser_id
        assert meeting.status in HELD


def test_english_contract_stays_in_negotiation_with_an_open_gating_milestone(demo):
    contract = Contract.objects.get(reference="NRICB-RESP-2027")
    assert contract.status == Contract.Status.NEGOTIATION
    roles = dict(contract.parties.values_list("organisation__name", "role"))
    assert roles == {
        "Riverside University Hospitals NHS Foundation Trust": "lead_provider",
        "Riverside Community Health CIC": "subcontractor",
    }
    assert contract.versions.count() >= 3
    latest = contract.versions.order_by("-number").first()
    assert latest.clinical_governance
    assert latest.pathway_development
    # The template's contract steps were applied to the contract itself.
    assert contract.milestones.count() == 4
    blocking = open_gating_milestones(programme=contract.programme, contract=contract)
    assert [m.title for m in blocking] == ["Pathway-development terms agreed"]
    assert blocking[0].contract_id == contract.pk
    refusals = [line for line in demo.splitlines() if line.startswith("Finalising")]
    assert refusals == [
        "Finalising NRICB-RESP-2027 refused: Finalising this contract is not possible while "
        "1 gating milestone(s) are open: Pathway-development terms agreed. Meet them, or have "
        "a manager waive them with a reason."
    ]
    assert not Event.objects.filter(verb="contract.finalised", subject_id=str(contract.pk)).exists()


def test_norwegian_agreement_is_active_with_its_obligations_fulfilled_once(demo):
    agreement = Contract.objects.get(reference="FJV-HF-SAMARBEID")
    assert agreement.status == Contract.Status.ACTIVE
    cadences = dict(agreement.obligations.values_list("cadence", "title"))
    assert set(cadences) == {Obligation.Cadence.YEARLY, Obligation.Cadence.QUARTERLY}
    for obligation in agreement.obligations.all():
        assert obligation.fulfilments.count() == 1


def test_swedish_rulebook_has_a_draft_first_version_with_eight_clauses(demo):
    programme = Programme.objects.get(framework="se_care_choice")
    version = programme.rulebook.versions.get()
    assert version.number == 1
    assert version.status == RulebookVersion.Status.DRAFT
    assert list(version.clauses.order_by("position").values_list("key", flat=True)) == [
        "1",
        "2",
        "2.1",
        "3",
        "4",
        "4.1",
        "4.2",
        "5",
    ]
    assert version.clauses.get(key="1").heading == "Uppdraget"


def test_each_arena_has_a_year_of_meetings_with_information_heavy_ones(demo):
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=366)
    assert Arena.objects.count() == 3
    for arena in Arena.objects.all():
        held = arena.meetings.filter(status__in=HELD)
        assert 6 <= held.count() <= 8, arena.name
        first = timezone.localdate(held.order_by("starts_at").first().starts_at)
        assert year_ago <= first <= today - datetime.timedelta(days=300), arena.name
        assert held.filter(status=Meeting.Status.MINUTES_APPROVED).exists(), arena.name
        assert held.filter(status=Meeting.Status.HELD).exists(), arena.name
        heavy = with_minutes(held).filter(information_heavy_condition())
        assert 1 <= heavy.count() <= 2, arena.name
        kinds = set(held.values_list("agenda_items__kind", flat=True))
        assert kinds == {"information", "dialogue", "decision"}, arena.name
        assert not held.filter(attendance__isnull=True).exists(), arena.name
        planned = arena.meetings.filter(status=Meeting.Status.PLANNED)
        assert planned.count() == 1, arena.name
        assert planned.get().starts_at > timezone.now()
        actions = ActionItem.objects.filter(meeting__arena=arena)
        assert actions.filter(status=ActionItem.Status.DONE).exists(), arena.name
        assert actions.filter(status=ActionItem.Status.OPEN).exists(), arena.name


def test_meetings_were_logged_and_approved_through_the_services(demo):
    held = Meeting.objects.filter(status__in=HELD).count()
    assert Event.objects.filter(verb="meeting.created_and_logged").count() == held
    approved = Meeting.objects.filter(status=Meeting.Status.MINUTES_APPROVED).count()
    assert Event.objects.filter(verb="meeting.minutes_approved").count() == approved


def test_there_are_open_concerns_an_overdue_one_and_overdue_actions(demo):
    today = timezone.localdate()
    open_concerns = Concern.objects.filter(status__in=OPEN_STATUSES)
    assert open_concerns.count() >= 3
    late = Concern.objects.get(title="Utskrivningsmeldinger kommer etter kl. 15")
    assert late.status == Concern.Status.ACKNOWLEDGED
    overdue_concerns = Concern.objects.filter(status=Concern.Status.RAISED, reply_by__lt=today)
    assert overdue_concerns.count() == 1
    assert overdue_concerns.get().raised_with.name == "Fjordvik kommune"
    assert Event.objects.filter(verb="concern.raised").count() == Concern.objects.count()
    overdue_actions = ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_date__lt=today)
    assert overdue_actions.count() >= 3


def test_one_relationship_has_gone_120_days_without_a_meeting(demo):
    response = client_as("anna.manager").get("/api/v1/relationships/", {"page_size": 100})
    assert response.status_code == 200, response.json()
    rows = {r["provider"]["name"]: r for r in response.json()["results"]}
    ersta = rows["Stiftelsen Ersta Norrsund"]
    assert ersta["days_since_last_meeting"] == 120
    assert ersta["no_meeting_alert"] is True
    assert ersta["overdue_actions"] == 1
    # The others who came to the council met within the alert period.
    met_recently = [
        r
        for name, r in rows.items()
        if name not in {"Stiftelsen Ersta Norrsund", "Norrlandsläkarna AB"}
    ]
    assert met_recently
    assert all(r["days_since_last_meeting"] < 90 for r in met_recently)
    assert not any(r["no_meeting_alert"] for r in met_recently)


def test_norwegian_relationship_shows_the_overdue_concern_and_action(demo):
    response = client_as("ingrid.manager").get("/api/v1/relationships/")
    assert response.status_code == 200, response.json()
    [row] = response.json()["results"]
    assert row["provider"]["name"] == "Helse Fjordvik HF"
    assert row["open_concerns"] == 2
    assert row["overdue_concerns"] == 1
    assert row["overdue_actions"] == 1
    assert row["no_meeting_alert"] is False


def test_equal_treatment_of_the_council_names_the_never_invited_private_provider(demo):
    council = Arena.objects.get(name="Vårdvalsrådet primärvård")
    left_out = Organisation.objects.get(name="Norrlandsläkarna AB")
    assert council.members.filter(pk=left_out.pk).exists()
    response = client_as("anna.manager").get(f"/api/v1/arenas/{council.pk}/equal-treatment/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["meetings_counted"] == 8
    assert body["not_invited"]["organisations"] == [{"id": left_out.pk, "name": left_out.name}]
    private = next(g for g in body["by_ownership"] if g["ownership"] == "private")
    assert private["not_invited"]["count"] == 1


def test_the_demo_command_loads_on_a_fresh_sqlite_file(tmp_path):
    """`make demo` runs the command on SQLite with DEBUG=1 (jobs in-process)."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True)
    result = subprocess.run(
        [*manage, "load_demo_data"], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    assert "Demo data loaded." in result.stdout
    assert "Finalising NRICB-RESP-2027 refused:" in result.stdout
