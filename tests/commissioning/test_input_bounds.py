"""Input the database cannot hold is refused with a 400 that says what to fix, in the
person's language, and changes nothing; before, it reached PostgreSQL and answered 500. The
rules are shared (InputSerializer bounds every whole number by its column; the date-time
fields keep to the years every time zone can show), so a new field follows them."""

import pytest
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from contracts.models import Clause
from dialogue.models import Consultation
from tests.contracts.rulebook_factories import ClauseFactory, RulebookFactory
from tests.dialogue.consultation_factories import ConsultationFactory

TOO_LARGE = {
    "en": "Ensure this value is less than or equal to 2147483647.",
    "sv": "Se till att detta värde är mindre än eller lika med 2147483647.",
    "nb": "Sikre denne verdien er mindre enn eller lik 2147483647.",
}
OUT_OF_RANGE = {
    "en": "Give a date and time between the years 1 and 9999; {} is outside them.",
    "sv": "Ange datum och tid mellan åren 1 och 9999; {} ligger utanför dem.",
    "nb": "Oppgi dato og tid mellom årene 1 og 9999; {} ligger utenfor dem.",
}


def patch(client_for, world, path, body, language):
    return client_for("officer_a").patch(
        path,
        body,
        format="json",
        HTTP_X_ACTING_FOR=str(world.purchaser_a.id),
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_a_number_larger_than_its_column_is_refused(client_for, world, language):
    clause = ClauseFactory(version__rulebook=RulebookFactory(programme=world.programme_a))
    before = clause.position
    response = patch(
        client_for, world, f"/api/v1/clauses/{clause.id}/", {"position": 10943116389}, language
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {"position": [TOO_LARGE[language]]}
    assert Clause.objects.get(pk=clause.pk).position == before


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+11:15", "9999-12-31T23:00:00-11:15"])
def test_a_time_outside_the_years_every_zone_shows_is_refused(client_for, world, language, value):
    consultation = ConsultationFactory(
        programme=world.programme_a, status=Consultation.Status.SCHEDULED
    )
    before = consultation.opens_at
    path = f"/api/v1/consultations/{consultation.id}/"
    response = patch(client_for, world, path, {"opens_at": value}, language)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {
        "opens_at": [OUT_OF_RANGE[language].format(value)]
    }
    assert Consultation.objects.get(pk=consultation.pk).opens_at == before


def _whole_numbers(serializer, path=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _whole_numbers(field, f"{path}{name}.")
            continue
        while isinstance(field, serializers.ListField | serializers.DictField):
            field = field.child
        if isinstance(field, serializers.IntegerField) and not field.read_only:
            yield f"{path}{name}", field


def _input_serializers():
    """Every InputSerializer of every view the URL conf reaches."""
    import config.urls  # noqa: F401 (imports every app's API)

    found, todo = set(), [InputSerializer]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass)
            todo.append(subclass)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_whole_number_the_api_takes_is_bounded(db):
    unbounded = []
    checked = 0
    for serializer_class in _input_serializers():
        for path, field in _whole_numbers(serializer_class()):
            checked += 1
            if field.max_value is None or field.min_value is None:
                unbounded.append(f"{serializer_class.__qualname__}.{path}")
    assert checked > 20
    assert unbounded == []
