"""Rulebook versions: the status moves, adoption (one at a time, gated, managers only) and
new versions as copies of the last."""

import datetime

import pytest
from django.utils import timezone

from commissioning.errors import Conflict
from commissioning.models import Event, Milestone
from contracts.models import Clause, RulebookVersion
from contracts.services import rulebooks as rulebook_services
from contracts.services.rulebooks import VERSION_LIFECYCLE
from dialogue.models import Consultation
from tests.contracts.rulebook_factories import (
    ClauseFactory,
    GatingMilestoneFactory,
    RulebookFactory,
    RulebookVersionFactory,
    rulebook_with_version,
)
from tests.dialogue.consultation_factories import ConsultationFactory

Status = RulebookVersion.Status

# The consultation moves have no endpoint of their own: a version moves into and out of
# consultation with its consultation (dialogue.services.consultations), which calls these services.
SERVICE_TARGET = {
    "open_consultation_on_version": Status.IN_CONSULTATION,
    "close_consultation_on_version": Status.CONSULTATION_CLOSED,
}
LEGAL = {
    (Status.DRAFT, "open_consultation_on_version"),
    (Status.IN_CONSULTATION, "close_consultation_on_version"),
}


def post(client, path, purchaser, data=None):
    return client.post(path, data or {}, format="json", HTTP_X_ACTING_FOR=str(purchaser.id))


def version_events(version, verb=None):
    events = Event.objects.filter(subject_type__model="rulebookversion", subject_id=str(version.pk))
    return events.filter(verb=verb) if verb else events


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("service", SERVICE_TARGET)
def test_every_consultation_move_is_allowed_or_refused_by_the_transition_table(
    world, status, service
):
    version = rulebook_with_version(world.programme_a, status=status)
    move = getattr(rulebook_services, service)
    if (status, service) in LEGAL:
        move(actor=world.people["officer_a"], acting_for=world.purchaser_a, version=version)
        version.refresh_from_db()
        assert version.status == SERVICE_TARGET[service]
        assert version_events(version).count() == 1
    else:
        with pytest.raises(Conflict) as refusal:
            move(actor=world.people["officer_a"], acting_for=world.purchaser_a, version=version)
        assert refusal.value.code == "illegal_transition"
        assert refusal.value.details["allowed"] == list(VERSION_LIFECYCLE.table[status])
        version.refresh_from_db()
        assert version.status == status
        assert not version_events(version).exists()


@pytest.mark.parametrize("status", Status.values)
def test_adoption_is_allowed_or_refused_by_the_transition_table(client_for, world, status):
    version = rulebook_with_version(world.programme_a, status=status)
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{version.pk}/adopt/", world.purchaser_a
    )
    version.refresh_from_db()
    if status == Status.CONSULTATION_CLOSED:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == Status.ADOPTED
        assert version.status == Status.ADOPTED
        assert version_events(version).count() == 1
    else:
        assert response.status_code == 409, response.json()
        error = response.json()["error"]
        assert error["code"] == "illegal_transition"
        assert error["details"]["allowed"] == list(VERSION_LIFECYCLE.table[status])
        for allowed in VERSION_LIFECYCLE.table[status]:
            assert allowed in error["message"]
        assert version.status == status
        assert not version_events(version).exists()


@pytest.mark.parametrize("endpoint", ["open-consultation", "close-consultation"])
def test_a_version_has_no_direct_consultation_endpoint(client_for, world, endpoint):
    """The window could be bypassed through them; consultations move the version instead."""
    version = rulebook_with_version(world.programme_a)
    response = post(
        client_for("manager_a"),
        f"/api/v1/rulebook-versions/{version.pk}/{endpoint}/",
        world.purchaser_a,
    )
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == Status.DRAFT


def test_adopting_a_draft_says_the_consultation_comes_first(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.DRAFT)
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{version.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 409
    assert (
        "open a consultation on the draft, close it, then adopt"
        in (response.json()["error"]["message"])
    )


def test_status_moves_record_their_own_verbs(client_for, world):
    version = rulebook_with_version(world.programme_a)
    for service in SERVICE_TARGET:
        getattr(rulebook_services, service)(
            actor=world.people["manager_a"], acting_for=world.purchaser_a, version=version
        )
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{version.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 200
    verbs = list(version_events(version).order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "rulebook_version.consultation_opened",
        "rulebook_version.consultation_closed",
        "rulebook_version.adopted",
    ]
    adopted = version_events(version, "rulebook_version.adopted").get()
    assert adopted.purchaser == world.purchaser_a
    assert adopted.acting_for == world.purchaser_a
    assert adopted.before["status"] == "consultation_closed"
    assert adopted.after["status"] == "adopted"


def test_adopting_v2_supersedes_v1_in_the_same_write(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    v1 = RulebookVersionFactory(rulebook=rulebook, number=1, status=Status.ADOPTED)
    v2 = RulebookVersionFactory(
        rulebook=rulebook, number=2, status=Status.CONSULTATION_CLOSED, based_on=v1
    )
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{v2.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 200, response.json()
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Status.SUPERSEDED, Status.ADOPTED)
    assert v2.adopted_at is not None
    assert rulebook.versions.filter(status=Status.ADOPTED).count() == 1
    event = version_events(v2, "rulebook_version.adopted").get()
    assert event.after["superseded_version"] == v1.pk
    # One write, one Event: superseding v1 is part of adopting v2.
    assert not version_events(v1).exists()


def test_an_older_version_cannot_replace_a_newer_adopted_one(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    v1 = RulebookVersionFactory(rulebook=rulebook, number=1, status=Status.CONSULTATION_CLOSED)
    v2 = RulebookVersionFactory(rulebook=rulebook, number=2, status=Status.ADOPTED)
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{v1.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "newer_version_adopted"
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Status.CONSULTATION_CLOSED, Status.ADOPTED)


@pytest.mark.parametrize(
    ("actor", "acting_for", "status", "code"),
    [
        ("officer_a", "purchaser_a", 403, "not_manager"),
        ("politician_a", "political_body_a", 403, "read_only"),
        ("provider_in_a", "provider_in_a", 403, "not_purchaser_staff"),
        ("manager_b", "purchaser_b", 404, "not_found"),
    ],
)
def test_adoption_is_refused_to_anyone_but_a_manager_of_the_purchaser(
    client_for, world, actor, acting_for, status, code
):
    version = rulebook_with_version(world.programme_a, status=Status.CONSULTATION_CLOSED)
    response = post(
        client_for(actor),
        f"/api/v1/rulebook-versions/{version.pk}/adopt/",
        getattr(world, acting_for),
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION_CLOSED
    assert version.adopted_at is None
    assert not version_events(version).exists()


def test_officers_open_and_close_consultations_through_the_consultation(client_for, world):
    version = rulebook_with_version(world.programme_a)
    consultation = ConsultationFactory(
        programme=world.programme_a, rulebook_version=version, status="scheduled"
    )
    client = client_for("officer_a")
    opened = post(client, f"/api/v1/consultations/{consultation.pk}/open/", world.purchaser_a)
    assert opened.status_code == 200, opened.json()
    version.refresh_from_db()
    assert version.status == Status.IN_CONSULTATION
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    closed = post(client, f"/api/v1/consultations/{consultation.pk}/close/", world.purchaser_a)
    assert closed.status_code == 200, closed.json()
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION_CLOSED


def test_a_status_move_refuses_unknown_fields(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.CONSULTATION_CLOSED)
    response = post(
        client_for("manager_a"),
        f"/api/v1/rulebook-versions/{version.pk}/adopt/",
        world.purchaser_a,
        {"status": "draft"},
    )
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION_CLOSED


# --- gating -------------------------------------------------------------------------------


def test_adoption_is_refused_while_a_gating_milestone_is_open(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.CONSULTATION_CLOSED)
    blocking = GatingMilestoneFactory(programme=world.programme_a, title="Provider dialogue")
    missed = GatingMilestoneFactory(
        programme=world.programme_a, title="Hearing", status=Milestone.Status.MISSED
    )
    GatingMilestoneFactory(programme=world.programme_a, status=Milestone.Status.MET)
    GatingMilestoneFactory(programme=world.programme_b)  # another programme's gate
    GatingMilestoneFactory(programme=world.programme_a, gating=False)  # not a gate
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{version.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "gating_milestones_open"
    assert "Adopting this rulebook version" in error["message"]
    assert "Provider dialogue" in error["message"]
    assert {m["id"] for m in error["details"]["open_milestones"]} == {blocking.id, missed.id}
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION_CLOSED
    assert not version_events(version).exists()


def test_a_refused_adoption_leaves_the_adopted_version_adopted(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    v1 = RulebookVersionFactory(rulebook=rulebook, number=1, status=Status.ADOPTED)
    v2 = RulebookVersionFactory(rulebook=rulebook, number=2, status=Status.CONSULTATION_CLOSED)
    GatingMilestoneFactory(programme=world.programme_a)
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{v2.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 409
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Status.ADOPTED, Status.CONSULTATION_CLOSED)


def test_adoption_goes_through_once_the_gates_are_met_or_waived(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.CONSULTATION_CLOSED)
    GatingMilestoneFactory(programme=world.programme_a, status=Milestone.Status.MET)
    GatingMilestoneFactory(
        programme=world.programme_a,
        status=Milestone.Status.WAIVED,
        waiver_reason="Providers were heard in the provider council instead.",
    )
    response = post(
        client_for("manager_a"), f"/api/v1/rulebook-versions/{version.pk}/adopt/", world.purchaser_a
    )
    assert response.status_code == 200, response.json()
    version.refresh_from_db()
    assert version.status == Status.ADOPTED


# --- new versions -------------------------------------------------------------------------


def test_the_first_version_of_a_rulebook_starts_empty(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    response = post(
        client_for("officer_a"), f"/api/v1/rulebooks/{rulebook.pk}/versions/", world.purchaser_a
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"], body["based_on"], body["clauses"]) == (
        1,
        "draft",
        None,
        [],
    )
    event = version_events(RulebookVersion.objects.get(pk=body["id"])).get()
    assert event.verb == "rulebook_version.created"
    assert event.purchaser == world.purchaser_a


def test_a_new_version_copies_every_clause_of_the_latest_with_its_lineage(client_for, world):
    rulebook = RulebookFactory(programme=world.programme_a)
    v1 = RulebookVersionFactory(rulebook=rulebook, number=1, status=Status.ADOPTED)
    v2 = RulebookVersionFactory(rulebook=rulebook, number=2, status=Status.CONSULTATION_CLOSED)
    ClauseFactory(version=v1, key="1", heading="Old", position=1)
    copied = [
        ClauseFactory(version=v2, key="1", heading="Scope", text="All of it.", position=2),
        ClauseFactory(version=v2, key="4.2a", heading="Reporting", text="Monthly.", position=1),
    ]
    response = post(
        client_for("officer_a"),
        f"/api/v1/rulebooks/{rulebook.pk}/versions/",
        world.purchaser_a,
        {"summary": "After the consultation"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["based_on"], body["summary"]) == (
        3,
        v2.pk,
        "After the consultation",
    )
    v3 = RulebookVersion.objects.get(pk=body["id"])

    def shape(clause):
        return (clause.key, clause.heading, clause.text, clause.position, clause.lineage)

    assert sorted(shape(c) for c in v3.clauses.all()) == sorted(shape(c) for c in copied)
    assert [c["key"] for c in body["clauses"]] == ["4.2a", "1"]  # in position order
    # The copies are new rows: the consulted version keeps its own.
    assert v2.clauses.count() == 2
    assert not set(v3.clauses.values_list("id", flat=True)) & {c.id for c in copied}


def test_only_one_draft_at_a_time(client_for, world):
    version = rulebook_with_version(world.programme_a, clauses=[("1", "Scope", "")])
    response = post(
        client_for("officer_a"),
        f"/api/v1/rulebooks/{version.rulebook_id}/versions/",
        world.purchaser_a,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "draft_exists"
    assert "Version 1 is still a draft" in error["message"]
    assert error["details"]["draft"] == {"id": version.pk, "number": 1}
    assert RulebookVersion.objects.filter(rulebook=version.rulebook).count() == 1
    assert Clause.objects.count() == 1


def test_a_new_version_may_be_made_while_the_last_is_in_consultation(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.IN_CONSULTATION)
    response = post(
        client_for("officer_a"),
        f"/api/v1/rulebooks/{version.rulebook_id}/versions/",
        world.purchaser_a,
    )
    assert response.status_code == 201
    assert response.json()["number"] == 2


def test_the_summary_of_a_draft_can_be_changed_but_not_after_consultation(client_for, world):
    draft = rulebook_with_version(world.programme_a)
    client = client_for("officer_a")
    response = client.patch(
        f"/api/v1/rulebook-versions/{draft.pk}/",
        {"summary": "New wording on reporting"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 200
    assert response.json()["summary"] == "New wording on reporting"
    RulebookVersion.objects.filter(pk=draft.pk).update(status=Status.IN_CONSULTATION)
    response = client.patch(
        f"/api/v1/rulebook-versions/{draft.pk}/",
        {"summary": "Changed afterwards"},
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_not_editable"
    draft.refresh_from_db()
    assert draft.summary == "New wording on reporting"


def test_a_version_tells_which_moves_it_allows_next(client_for, world):
    version = rulebook_with_version(world.programme_a, status=Status.IN_CONSULTATION)
    body = client_for("provider_in_a").get(f"/api/v1/rulebook-versions/{version.pk}/").json()
    assert body["allowed_transitions"] == ["consultation_closed"]
    assert body["is_editable"] is False
