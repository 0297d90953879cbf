"""Serializers that turn a row into its answer through a plan made once, not field by field
through DRF's machinery for every row.

DRF's Serializer.to_representation asks each field, for each row, for its attribute
(Field.get_attribute: the source path walked, its exceptions caught) and then for its
representation; a page of 100 comments with their organisation and clause is some 2,500 such
round trips, a good part of the list's time (bench/over_http.py). CompiledRepresentation
reads the serializer's own fields once, when the serializer first renders a row, into a
plan: for each field, how to read the value (one attribute, or the field's method) and the
field's own to_representation. The answer is the same as DRF's, to the byte (tests/
commissioning/test_compiled_representation.py compares them); the fields, and so the
schema, are the serializer's as declared. A field this plan does not read directly (a
related field, a dotted or `*` source, a default) is read through DRF's own path.
"""

from django.core.exceptions import ObjectDoesNotExist
from rest_framework.fields import (
    CharField,
    Field,
    SerializerMethodField,
    SkipField,
    empty,
    is_simple_callable,
)
from rest_framework.relations import ManyRelatedField, PKOnlyObject, RelatedField

_SKIP = object()


def _through_drf(field):
    """DRF's own reading of one field (Serializer.to_representation's loop body)."""

    def read(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check is None else field.to_representation(attribute)

    return read


def _attribute(field, name: str):
    """One attribute of the row, as DRF's get_attribute reads a one-step source: a missing
    related object is None, a method is called; a row without the attribute at all goes
    through DRF's path (which knows the field's default, null and required rules)."""
    represent = str if type(field).to_representation is CharField.to_representation else None
    represent = represent or field.to_representation
    otherwise = _through_drf(field)

    def read(instance):
        try:
            value = getattr(instance, name)
        except ObjectDoesNotExist:
            return None
        except AttributeError:
            return otherwise(instance)
        if callable(value) and is_simple_callable(value):
            value = value()
        return None if value is None else represent(value)

    return read


def _reader(serializer, field):
    kind = type(field)
    if kind.to_representation is SerializerMethodField.to_representation:
        return getattr(serializer, field.method_name)
    direct = (
        len(field.source_attrs) == 1
        and field.default is empty
        and kind.get_attribute is Field.get_attribute  # a field reading its own way: DRF's
        and not isinstance(field, (RelatedField, ManyRelatedField))
    )
    return _attribute(field, field.source_attrs[0]) if direct else _through_drf(field)


def plan(serializer) -> list[tuple[str, object]]:
    return [(field.field_name, _reader(serializer, field)) for field in serializer._readable_fields]


class CompiledRepresentation:
    """Mixed into a Serializer: its to_representation through a plan made on first use."""

    def to_representation(self, instance):
        steps = self.__dict__.get("_plan")
        if steps is None:
            steps = self.__dict__["_plan"] = plan(self)
        answer = {}
        for name, read in steps:
            value = read(instance)
            if value is not _SKIP:
                answer[name] = value
        return answer


def nested_once(serializer, name: str, make):
    """The nested serializer `make()` a method field renders its rows with, made once for the
    whole list (the list's rows share one serializer), not once for every row: a
    ModelSerializer builds its fields from the model each time it is made (contracts: 9 of a
    page's 12 s in a profile of ten pages of 100)."""
    if name not in serializer.__dict__:
        serializer.__dict__[name] = make()
    return serializer.__dict__[name]
