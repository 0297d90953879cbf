"""The framework templates loaded by the data migration, and applying them to programmes and
contracts."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from commissioning.errors import Conflict, RuleViolation
from commissioning.models import (
    Event,
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateStep,
    Programme,
)
from commissioning.services import milestones
from tests.commissioning.milestone_factories import ContractFactory
from tests.factories import ProgrammeFactory

Framework = Programme.Framework
DECISION = datetime.date(2027, 6, 1)


def apply(world, programme, contract=None, actor="officer_a"):
    return milestones.apply_template(
        actor=world.people[actor],
        acting_for=world.purchaser_a,
        programme=programme,
        contract=contract,
    )


def programme_of(world, framework):
    return ProgrammeFactory(
        purchaser=world.purchaser_a, framework=framework, target_decision_date=DECISION
    )


def test_every_framework_has_a_template_whose_steps_all_say_why(db):
    templates = MilestoneTemplate.objects.prefetch_related("steps")
    assert {t.framework for t in templates} == set(Framework.values)
    for template in templates:
        assert template.steps.exists()
        assert all(step.rationale.strip() for step in template.steps.all())


def test_swedish_care_choice_template_plans_the_rulebook_revision(world):
    programme = programme_of(world, Framework.SE_CARE_CHOICE)
    created = apply(world, programme)
    plan = [(m.kind, m.gating) for m in sorted(created, key=lambda m: m.position)]
    assert plan == [
        ("preProcurement", False),
        ("engagement", False),
        ("engagement", True),  # consultation open at least four weeks
        ("engagement", True),  # every comment answered and published
        ("approval", False),
        ("delivery", False),
        ("reporting", False),
    ]
    consultation = next(m for m in created if "four weeks" in m.title)
    assert "Vårdföretagarna" in consultation.rationale
    assert all(m.contract is None and m.status == Milestone.Status.PLANNED for m in created)


def test_template_milestones_are_due_relative_to_the_target_decision_date(world):
    programme = programme_of(world, Framework.SE_CARE_CHOICE)
    created = apply(world, programme)
    first = min(created, key=lambda m: m.position)
    assert first.due_date is None
    assert first.due_offset_days == first.template_step.offset_days == -180
    assert first.effective_due_date == DECISION - datetime.timedelta(days=180)


def test_english_template_puts_governance_and_pathway_terms_on_the_contract(world):
    programme = programme_of(world, Framework.UK_PROVIDER_SELECTION)
    contract = ContractFactory(programme=programme)
    on_programme = apply(world, programme)
    on_contract = apply(world, programme, contract=contract)

    assert [(m.kind, m.gating) for m in on_programme] == [
        ("engagement", True),  # stakeholder engagement before the specification
        ("approval", False),  # intention to award and standstill
    ]
    assert "eight-working-day standstill" in on_programme[1].title
    assert "Provider Selection Regime" in on_programme[1].rationale
    titles = {m.title: (m.kind, m.gating) for m in on_contract}
    assert titles == {
        "Clinical-governance arrangements agreed between all providers": ("approval", True),
        "Pathway-development terms agreed": ("engagement", True),
        "Information-sharing and shared IT agreement": ("engagement", False),
        "Contract award notice published within 30 days of award": ("reporting", False),
    }
    assert all(m.contract == contract for m in on_contract)
    assert all("BMJ Open 2020;10:e040267" in m.rationale for m in on_contract[:3])


def test_norwegian_template_has_one_gating_milestone_per_statutory_area_and_a_review(world):
    programme = programme_of(world, Framework.NO_COOPERATION_AGREEMENT)
    created = sorted(apply(world, programme), key=lambda m: m.position)
    areas, review = created[:-1], created[-1]
    assert len(areas) == 11
    assert all(m.gating and m.kind == "engagement" for m in areas)
    assert all("§ 6-2" in m.rationale for m in areas)
    assert [f"no. {n}" in m.rationale for n, m in enumerate(areas, start=1)] == [True] * 11
    assert any("acute medical chain" in m.title for m in areas)
    assert any("Midwifery" in m.title for m in areas)
    assert (review.kind, review.gating) == ("reporting", False)
    assert "review" in review.title.lower()


def test_applying_a_template_writes_one_event_for_the_purchaser(world):
    programme = programme_of(world, Framework.SE_CARE_CHOICE)
    before = Event.objects.count()
    created = apply(world, programme)
    assert Event.objects.count() == before + 1
    event = Event.objects.get(verb="milestone_template.applied")
    assert event.purchaser == world.purchaser_a
    assert event.acting_for == world.purchaser_a
    assert sorted(event.after["milestones"]) == sorted(m.pk for m in created)


def test_reapplying_a_template_to_the_same_programme_is_refused(world):
    programme = programme_of(world, Framework.SE_CARE_CHOICE)
    apply(world, programme)
    with pytest.raises(Conflict) as refused:
        apply(world, programme)
    assert refused.value.code == "template_already_applied"
    assert Milestone.objects.filter(programme=programme).count() == 7


def test_the_same_template_applies_once_per_contract(world):
    programme = programme_of(world, Framework.UK_PROVIDER_SELECTION)
    first, second = ContractFactory(programme=programme), ContractFactory(programme=programme)
    apply(world, programme, contract=first)
    apply(world, programme, contract=second)
    with pytest.raises(Conflict):
        apply(world, programme, contract=first)
    assert Milestone.objects.filter(contract=first).count() == 4
    assert Milestone.objects.filter(contract=second).count() == 4


def test_applying_without_a_template_for_the_framework_is_refused(world):
    programme = programme_of(world, Framework.GENERIC)
    MilestoneTemplate.objects.filter(framework=Framework.GENERIC).delete()
    with pytest.raises(RuleViolation) as refused:
        apply(world, programme)
    assert refused.value.code == "no_template"
    assert not Milestone.objects.filter(programme=programme).exists()


def test_applying_contract_steps_of_a_template_that_has_none_is_refused(world):
    programme = programme_of(world, Framework.SE_CARE_CHOICE)
    contract = ContractFactory(programme=programme)
    with pytest.raises(RuleViolation) as refused:
        apply(world, programme, contract=contract)
    assert refused.value.code == "no_template_steps"


def test_a_contract_of_another_programme_is_refused(world):
    programme = programme_of(world, Framework.UK_PROVIDER_SELECTION)
    other = ContractFactory(programme=world.programme_a)
    with pytest.raises(RuleViolation):
        apply(world, programme, contract=other)
    assert not Milestone.objects.exists()


# --- over the API -----------------------------------------------------------------------


def test_apply_template_endpoint_answers_the_created_milestones(client_for, world):
    programme = programme_of(world, Framework.NO_COOPERATION_AGREEMENT)
    response = client_for("officer_a").post(
        f"/api/v1/programmes/{programme.pk}/apply-template/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()) == 12
    again = client_for("officer_a").post(
        f"/api/v1/programmes/{programme.pk}/apply-template/",
        {},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "template_already_applied"


def test_apply_template_endpoint_refuses_a_contract_the_person_cannot_see(client_for, world):
    programme = programme_of(world, Framework.UK_PROVIDER_SELECTION)
    elsewhere = ContractFactory(programme=world.programme_b)
    response = client_for("officer_a").post(
        f"/api/v1/programmes/{programme.pk}/apply-template/",
        {"contract": elsewhere.pk},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 400
    assert "contract" in response.json()["error"]["fields"]
    assert not Milestone.objects.exists()


def test_template_list_shows_steps_with_their_reasons(client_for, world):
    response = client_for("provider_in_a").get("/api/v1/milestone-templates/")
    assert response.status_code == 200
    by_framework = {t["framework"]: t for t in response.json()}
    steps = by_framework["uk_provider_selection"]["steps"]
    assert [s["position"] for s in steps] == list(range(1, 7))
    assert steps[1]["applies_to"] == "contract"
    assert all(s["rationale"] for s in steps)


def test_templates_cannot_be_written_through_the_api(client_for, world):
    template = MilestoneTemplate.objects.first()
    client = client_for("manager_a")
    assert client.post("/api/v1/milestone-templates/", {}, format="json").status_code == 405
    patched = client.patch(
        f"/api/v1/milestone-templates/{template.pk}/", {"name": "x"}, format="json"
    )
    assert patched.status_code == 405


# --- the data migration -----------------------------------------------------------------

template_migration = importlib.import_module("commissioning.migrations.0004_milestone_templates")


def test_reversing_the_template_migration_removes_the_templates(db):
    template_migration.unload_templates(django_apps, None)
    assert not MilestoneTemplate.objects.exists()
    assert not MilestoneTemplateStep.objects.exists()


def test_loading_the_templates_again_leaves_an_edited_template_alone(db):
    step = MilestoneTemplateStep.objects.get(template__framework="generic", position=1)
    step.title = "Our own early dialogue"
    step.save()
    template_migration.load_templates(django_apps, None)
    assert MilestoneTemplate.objects.count() == 4
    assert MilestoneTemplateStep.objects.filter(template__framework="generic").count() == 3
    step.refresh_from_db()
    assert step.title == "Our own early dialogue"
