"""Dates and times the API takes: a well-formed day that does not exist ("2026-02-31") is
refused as such, not as a wrong format, in the person's language; malformed input still
gets the format to use. Every date and date-time field of every input serializer is one of
the shared fields (commissioning/api/dates.py), so a new field behaves so too."""

import datetime
import inspect

import pytest
from rest_framework import serializers

from commissioning.models import Milestone
from dialogue.models import Consultation, Meeting
from tests.dialogue.consultation_factories import ConsultationFactory
from tests.dialogue.factories import ArenaFactory

NO_SUCH_DAY = {
    "en": "There is no such day as 2026-02-31; check the day and the month.",
    "sv": "Det finns ingen dag 2026-02-31; kontrollera dag och månad.",
    "nb": "Det finnes ingen dag 2026-02-31; kontroller dag og måned.",
}


def send(client_for, world, path, body, *, method="post", language="en"):
    return getattr(client_for("officer_a"), method)(
        path,
        body,
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def field_errors(response):
    assert response.status_code == 400, response.json()
    return response.json()["error"]["fields"]


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_a_day_that_does_not_exist_is_refused_as_such(client_for, world, language):
    body = {
        "programme": world.programme_a.pk,
        "title": "Provider council",
        "kind": "engagement",
        "due_date": "2026-02-31",
    }
    response = send(client_for, world, "/api/v1/milestones/", body, language=language)
    assert field_errors(response) == {"due_date": [NO_SUCH_DAY[language]]}
    assert not Milestone.objects.filter(title="Provider council").exists()


@pytest.mark.parametrize("value", ["31/02/2026", "2026-2-31x", "tomorrow", "20260231"])
def test_a_malformed_date_still_gets_the_format_to_use(client_for, world, value):
    body = {
        "programme": world.programme_a.pk,
        "title": "Provider council",
        "kind": "engagement",
        "due_date": value,
    }
    response = send(client_for, world, "/api/v1/milestones/", body)
    [message] = field_errors(response)["due_date"]
    assert "YYYY-MM-DD" in message
    assert "no such day" not in message


def test_a_month_that_does_not_exist_is_refused_as_such(client_for, world):
    response = send(
        client_for,
        world,
        "/api/v1/milestones/",
        {
            "programme": world.programme_a.pk,
            "title": "T",
            "kind": "engagement",
            "due_date": "2026-13-01",
        },
    )
    assert field_errors(response) == {
        "due_date": ["There is no such day as 2026-13-01; check the day and the month."]
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("starts_at", "2027-02-30T09:00:00+01:00"), ("ends_at", "2027-03-02T25:00:00+01:00")],
)
def test_a_meeting_time_that_does_not_exist_is_refused_as_such(client_for, world, field, value):
    body = {
        "title": "Provider council, spring",
        "arena": ArenaFactory(purchaser=world.purchaser_a).id,
        "starts_at": "2027-03-02T09:00:00+01:00",
        "ends_at": "2027-03-02T11:00:00+01:00",
        "time_zone": "Europe/Stockholm",
        "place": "Regionens hus",
        field: value,
    }
    response = send(client_for, world, "/api/v1/meetings/", body, language="sv")
    assert field_errors(response) == {
        field: [f"Det finns ingen tidpunkt {value}; kontrollera datum och klockslag."]
    }
    assert not Meeting.objects.exists()


def test_a_consultation_close_that_does_not_exist_is_refused_as_such(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    before = consultation.closes_at
    response = send(
        client_for,
        world,
        f"/api/v1/consultations/{consultation.pk}/extend/",
        {"closes_at": "2027-04-31T17:00:00+02:00"},
        language="nb",
    )
    assert field_errors(response) == {
        "closes_at": [
            "Det finnes ikke noe tidspunkt 2027-04-31T17:00:00+02:00; kontroller dato og "
            "klokkeslett."
        ]
    }
    assert Consultation.objects.get(pk=consultation.pk).closes_at == before


def test_an_offset_postgresql_cannot_store_is_kept_as_the_same_instant(client_for, world):
    """Python reads offsets up to ±23:59, PostgreSQL stores them only to ±15:59: the API
    fuzzing's "…16:45:53-16:52" was a 500 from the database."""
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.SCHEDULED
    )
    response = send(
        client_for,
        world,
        f"/api/v1/consultations/{consultation.pk}/",
        {"opens_at": "2031-08-15T16:45:53-16:52", "closes_at": "2031-09-15T16:45:53-16:52"},
        method="patch",
    )
    assert response.status_code == 200, response.json()
    consultation.refresh_from_db()
    assert consultation.opens_at == datetime.datetime(2031, 8, 16, 9, 37, 53, tzinfo=datetime.UTC)


def test_a_malformed_time_still_gets_the_format_to_use(client_for, world):
    consultation = ConsultationFactory(programme=world.programme_a)
    response = send(
        client_for,
        world,
        f"/api/v1/consultations/{consultation.pk}/extend/",
        {"closes_at": "next Friday"},
    )
    [message] = field_errors(response)["closes_at"]
    assert "ISO 8601" in message


def _input_serializers():
    """Every serializer class the API's modules define that reads input. ModelSerializers are
    left out: here they only write answers (writes go through InputSerializers)."""
    import commissioning.api.milestone_serializers
    import commissioning.api.serializers
    import contracts.api.serializers
    import dialogue.api.consultation_serializers
    import dialogue.api.relationship_serializers
    import dialogue.api.response_serializers
    import dialogue.api.serializers

    modules = [
        commissioning.api.serializers,
        commissioning.api.milestone_serializers,
        contracts.api.serializers,
        dialogue.api.serializers,
        dialogue.api.consultation_serializers,
        dialogue.api.relationship_serializers,
        dialogue.api.response_serializers,
    ]
    found = set()
    for module in modules:
        for _name, value in inspect.getmembers(module, inspect.isclass):
            ours = value.__module__.split(".")[0] in {"commissioning", "contracts", "dialogue"}
            if (
                ours
                and issubclass(value, serializers.Serializer)
                and not issubclass(value, serializers.ModelSerializer)
            ):
                found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _date_fields(serializer, path=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _date_fields(field, f"{path}{name}.")
        elif isinstance(field, serializers.DateField | serializers.DateTimeField):
            yield f"{path}{name}", field


def test_every_date_field_the_api_takes_tells_a_missing_day_from_a_wrong_format(db):
    from commissioning.api import dates

    classes = _input_serializers()
    assert len(classes) > 40
    plain = []
    checked = 0
    for serializer_class in classes:
        for path, field in _date_fields(serializer_class()):
            if field.read_only:
                continue
            checked += 1
            shared = (
                dates.DateTimeField
                if isinstance(field, serializers.DateTimeField)
                else (dates.DateField)
            )
            if not isinstance(field, shared):
                plain.append(f"{serializer_class.__qualname__}.{path}")
    assert checked > 10
    assert plain == []


def test_the_shared_fields_parse_what_drf_parses():
    from commissioning.api import dates

    assert dates.DateField().to_internal_value("2028-02-29") == datetime.date(2028, 2, 29)
    moment = dates.DateTimeField().to_internal_value("2027-03-02T09:00:00+01:00")
    assert moment == datetime.datetime(2027, 3, 2, 8, 0, tzinfo=datetime.UTC)
