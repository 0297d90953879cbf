"""Consultations: creation, invitations, the window's status moves and the close time."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Event
from contracts.models import Contract, RulebookVersion
from dialogue.models import Consultation
from dialogue.services import consultations
from tests.contracts.factories import ContractFactory
from tests.contracts.rulebook_factories import rulebook_with_version
from tests.dialogue.consultation_factories import ConsultationFactory, patch, post
from tests.factories import ProviderFactory

Status = Consultation.Status
VStatus = RulebookVersion.Status


def iso(delta: datetime.timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def create(client, world, **overrides):
    version = overrides.pop("version", None) or rulebook_with_version(
        world.programme_a, clauses=[("4.2", "Reporting", "Monthly reports.")]
    )
    data = {
        "rulebook_version": version.pk,
        "title": "Remiss regelbok 2027",
        "opens_at": iso(datetime.timedelta(hours=1)),
        "closes_at": iso(datetime.timedelta(days=14)),
        **overrides,
    }
    return post(client, "/api/v1/consultations/", world.purchaser_a, data), version


def test_an_officer_creates_a_consultation_inviting_every_provider_and_network(client_for, world):
    response, _version = create(client_for("officer_a"), world)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "scheduled"
    assert sorted(body["invited"]) == sorted([world.provider_in_a.id, world.network.id])
    assert body["time_zone"] == "Europe/Stockholm"
    assert body["closes_at_local"].endswith(("+01:00", "+02:00"))
    assert (
        Event.objects.filter(verb="consultation.created", purchaser=world.purchaser_a).count() == 1
    )


def test_an_explicit_invitation_list_is_kept(client_for, world):
    response, _ = create(client_for("officer_a"), world, invited=[world.network.id])
    assert response.status_code == 201, response.json()
    assert response.json()["invited"] == [world.network.id]


def test_inviting_an_organisation_outside_the_programme_is_refused(client_for, world):
    response, _version = create(client_for("officer_a"), world, invited=[world.provider_outside.id])
    assert response.status_code == 400
    assert "invited" in response.json()["error"]["fields"]
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_a_time_without_a_zone_is_refused_naming_the_field(client_for, world, field):
    naive = (timezone.now() + datetime.timedelta(days=3)).replace(tzinfo=None).isoformat()
    response, _ = create(client_for("officer_a"), world, **{field: naive})
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Consultation.objects.exists()


def test_a_consultation_closing_before_it_opens_is_refused(client_for, world):
    response, _ = create(
        client_for("officer_a"), world, closes_at=iso(datetime.timedelta(minutes=5))
    )
    assert response.status_code == 400
    assert "closes_at" in response.json()["error"]["fields"]


def test_only_a_draft_version_is_consulted_on(client_for, world):
    version = rulebook_with_version(world.programme_a, status=VStatus.ADOPTED)
    response, _ = create(client_for("officer_a"), world, version=version)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "version_not_draft"


def test_a_draft_has_one_pending_consultation(client_for, world):
    client = client_for("officer_a")
    first, version = create(client, world)
    assert first.status_code == 201
    second, _ = create(client, world, version=version)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "consultation_exists"


def test_a_scheduled_consultation_is_changed_but_an_open_one_is_not(client_for, world):
    scheduled = ConsultationFactory(programme=world.programme_a, status=Status.SCHEDULED)
    client = client_for("officer_a")
    ok = patch(client, f"/api/v1/consultations/{scheduled.pk}/", world.purchaser_a, {"title": "Ny"})
    assert ok.status_code == 200
    assert ok.json()["title"] == "Ny"
    opened = ConsultationFactory(programme=ProgrammeFactoryFor(world), status=Status.OPEN)
    refused = patch(
        client, f"/api/v1/consultations/{opened.pk}/", world.purchaser_a, {"title": "Ny"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "consultation_not_scheduled"


def ProgrammeFactoryFor(world):
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory(purchaser=world.purchaser_a, participants=[world.provider_in_a])


# --- status moves -------------------------------------------------------------------------


def test_opening_moves_the_rulebook_version_into_consultation(client_for, world):
    consultation = ConsultationFactory(
        programme=world.programme_a,
        status=Status.SCHEDULED,
        opens_at=timezone.now() + datetime.timedelta(hours=3),
    )
    response = post(
        client_for("officer_a"), f"/api/v1/consultations/{consultation.pk}/open/", world.purchaser_a
    )
    assert response.status_code == 200, response.json()
    consultation.refresh_from_db()
    consultation.rulebook_version.refresh_from_db()
    assert consultation.status == Status.OPEN
    assert consultation.opens_at <= timezone.now()  # opened early: opens_at moved to now
    assert consultation.rulebook_version.status == VStatus.IN_CONSULTATION
    assert Event.objects.filter(verb="consultation.opened").count() == 1


def test_closing_before_the_close_time_is_refused(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/close/",
        world.purchaser_a,
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "close_time_not_reached"
    consultation.refresh_from_db()
    assert consultation.status == Status.OPEN


def test_closing_after_the_close_time_moves_the_version_to_consultation_closed(world):
    consultation = ConsultationFactory(programme=world.programme_a)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    consultations.close_consultation(
        actor=world.people["officer_a"], acting_for=world.purchaser_a, consultation=consultation
    )
    consultation.refresh_from_db()
    consultation.rulebook_version.refresh_from_db()
    assert consultation.status == Status.CLOSED
    assert consultation.closed_at is not None
    assert consultation.rulebook_version.status == VStatus.CONSULTATION_CLOSED


@pytest.mark.parametrize(
    ("status", "endpoint"),
    [
        (Status.OPEN, "open"),
        (Status.CLOSED, "open"),
        (Status.SCHEDULED, "close"),
        (Status.CLOSED, "close"),
    ],
)
def test_an_illegal_move_answers_409_with_the_allowed_states(client_for, world, status, endpoint):
    consultation = ConsultationFactory(programme=world.programme_a, status=status)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/{endpoint}/",
        world.purchaser_a,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"]["allowed"] == list(consultations.CONSULTATION_LIFECYCLE.table[status])
    consultation.refresh_from_db()
    assert consultation.status == status


# --- close time -------------------------------------------------------------------------


def test_an_officer_extends_an_open_consultation(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    later = consultation.closes_at + datetime.timedelta(days=3)
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/extend/",
        world.purchaser_a,
        {"closes_at": later.isoformat()},
    )
    assert response.status_code == 200, response.json()
    consultation.refresh_from_db()
    assert consultation.closes_at == later
    assert Event.objects.filter(verb="consultation.extended").count() == 1


def test_an_open_consultation_is_not_shortened_below_a_day_from_now(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    before = consultation.closes_at
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/extend/",
        world.purchaser_a,
        {"closes_at": iso(datetime.timedelta(hours=23))},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_short_notice"
    consultation.refresh_from_db()
    assert consultation.closes_at == before


def test_an_open_consultation_may_be_shortened_to_a_day_or_more_from_now(world):
    consultation = ConsultationFactory(programme=world.programme_a)
    new_close = timezone.now() + datetime.timedelta(days=2)
    consultations.extend_consultation(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        consultation=consultation,
        closes_at=new_close,
    )
    consultation.refresh_from_db()
    assert consultation.closes_at == new_close
    assert Event.objects.filter(verb="consultation.shortened").count() == 1


def test_the_close_time_cannot_move_once_it_has_passed(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    passed = timezone.now() - datetime.timedelta(minutes=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=passed)
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/extend/",
        world.purchaser_a,
        {"closes_at": iso(datetime.timedelta(days=5))},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consultation_closed"
    consultation.refresh_from_db()
    assert consultation.closes_at == passed


def test_an_extension_without_a_time_zone_is_refused(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    naive = (timezone.now() + datetime.timedelta(days=30)).replace(tzinfo=None).isoformat()
    response = post(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/extend/",
        world.purchaser_a,
        {"closes_at": naive},
    )
    assert response.status_code == 400
    assert "closes_at" in response.json()["error"]["fields"]


def test_the_list_filters_by_programme_and_status(client_for, world):
    ConsultationFactory(programme=world.programme_a, status=Status.OPEN)
    other = ProgrammeFactoryFor(world)
    ConsultationFactory(programme=other, status=Status.SCHEDULED)
    client = client_for("officer_a")
    by_programme = client.get("/api/v1/consultations/", {"programme": world.programme_a.id})
    assert [c["programme"] for c in by_programme.json()["results"]] == [world.programme_a.id]
    by_status = client.get("/api/v1/consultations/", {"status": "scheduled"})
    assert [c["programme"] for c in by_status.json()["results"]] == [other.id]


def test_an_uninvolved_provider_is_not_invited_by_default(world):
    ProviderFactory()  # not in the programme
    consultation = consultations.create_consultation(
        actor=world.people["officer_a"],
        acting_for=world.purchaser_a,
        rulebook_version=rulebook_with_version(world.programme_a),
        title="Remiss",
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    assert set(consultation.invitations.values_list("organisation_id", flat=True)) == {
        world.provider_in_a.id,
        world.network.id,
    }


@pytest.mark.parametrize(
    ("status", "expected"), [(Contract.Status.IN_DIALOGUE, 201), (Contract.Status.DRAFT, 409)]
)
def test_a_contract_version_is_consulted_on_only_while_the_contract_is_in_dialogue(
    client_for, world, status, expected
):
    contract = ContractFactory(programme=world.programme_a, status=status)
    response = post(
        client_for("officer_a"),
        "/api/v1/consultations/",
        world.purchaser_a,
        {
            "contract_version": contract.versions.get().pk,
            "title": "Dialog om avtalet",
            "opens_at": iso(datetime.timedelta(hours=1)),
            "closes_at": iso(datetime.timedelta(days=14)),
        },
    )
    assert response.status_code == expected, response.json()


def test_the_invitations_of_a_scheduled_consultation_are_changed(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a, status=Status.SCHEDULED)
    response = patch(
        client_for("officer_a"),
        f"/api/v1/consultations/{consultation.pk}/",
        world.purchaser_a,
        {"invited": [world.network.id]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["invited"] == [world.network.id]
    event = Event.objects.get(verb="consultation.updated")
    assert sorted(event.before["invited"]) == sorted([world.provider_in_a.id, world.network.id])
    assert event.after["invited"] == [world.network.id]


@pytest.mark.parametrize("actor", ["officer_a", "provider_in_a"])
def test_the_consultation_list_runs_a_constant_number_of_queries(client_for, world, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commissioning import policies
    from tests.factories import ProgrammeFactory

    for _n in range(110):
        programme = ProgrammeFactory(
            purchaser=world.purchaser_a, participants=[world.provider_in_a, world.network]
        )
        ConsultationFactory(programme=programme)
    client = client_for(actor)
    counts = {}
    for size in (10, 100):
        policies.forget_standing(world.people[actor])
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/consultations/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured)
    assert counts[10] == counts[100] <= 10
