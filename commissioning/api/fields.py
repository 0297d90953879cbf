"""The fields of a request body that name a row by its id, resolved through the policy.

Every id a write takes is a `VisibleId` (or a `VisibleIds` list): the id must name a row of
its model among those the person sending the request may see (policies.visible_rows), else a
400 on that field with the message a missing id gets, so that no answer tells a hidden row
from one that does not exist (DESIGN.md, "Rules the system enforces"). The field hands the
view the checked id (a `VisibleRow` hands it the row itself, read by the same query); the
service keeps its own rules about which of the visible rows fit.

The serializer needs the request in its context (`context={"request": request}`); without it
the field refuses to guess whose visibility applies and the request fails loudly.
tests/authorization/test_hidden_ids.py walks every such field of every write.

Whole numbers without bounds of their own get the integer column's (`bound_to_column`).
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

from commissioning import policies

# PostgreSQL's `integer`, the column of every whole number and id the API stores.
MIN_INTEGER = -(2**31)
MAX_ID = MAX_INTEGER = 2**31 - 1


def _unknown(field: str, pk) -> str:
    return _("No %(field)s with the id %(id)s that you can see.") % {"field": field, "id": pk}


def bound_to_column(field: serializers.Field) -> None:
    """Give a whole-number field without bounds those of the integer column (in lists and
    dicts too): a larger number is refused with DRF's "less than or equal to" in the person's
    language, not sent to the database, which would fail the request with a 500. The schema
    shows the bounds (`minimum`, `maximum`). InputSerializer calls this on every field, so a
    new field is bounded without anyone remembering; a field with a bound of its own keeps it."""
    if isinstance(field, serializers.ListField | serializers.DictField):
        bound_to_column(field.child)
    if not isinstance(field, serializers.IntegerField):
        return
    for name, limit, validator in (
        ("max_value", MAX_INTEGER, MaxValueValidator),
        ("min_value", MIN_INTEGER, MinValueValidator),
    ):
        if getattr(field, name) is None:
            setattr(field, name, limit)
            message = lazy_format(field.error_messages[name], **{name: limit})
            field.validators.append(validator(limit, message=message))


class _NamesRows:
    """What both fields share: the model (a label, so that a lower floor may name a model of
    a higher one), the person of the request, and the visible ids among some."""

    def _set_model(self, model) -> None:
        self.model_label = model if isinstance(model, str) else model._meta.label

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def _person(self):
        request = self.context.get("request")
        if request is None:
            raise ImproperlyConfigured(
                f"{type(self.root).__name__} names {self.model_label} ids: create it with "
                "context={'request': request}, so that the ids are read as the person sees them."
            )
        return request.user

    def _visible(self, ids) -> set[int]:
        rows = policies.visible_rows(self.model, self._person())
        return set(rows.filter(pk__in=ids).values_list("pk", flat=True))


class VisibleId(_NamesRows, serializers.IntegerField):
    """The id of a row of `model` the person may see; a hidden one answers as a missing one."""

    def __init__(self, model, **kwargs):
        self._set_model(model)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        if pk not in self._visible([pk]):
            raise serializers.ValidationError(_unknown(self.field_name, pk), code="unknown")
        return pk


class VisibleRow(VisibleId):
    """A VisibleId that hands the view the row itself, read by the same query that checks
    it: for a write whose service takes the row, which would otherwise read it a second
    time through the policy (policies.named_in_request)."""

    def to_internal_value(self, data):
        return serializers.IntegerField.to_internal_value(self, data)  # checked below

    def run_validation(self, data=serializers.empty):
        pk = super().run_validation(data)  # the whole number and its bounds
        if pk is None:
            return None
        row = policies.visible_rows(self.model, self._person()).filter(pk=pk).first()
        if row is None:
            raise serializers.ValidationError(_unknown(self.field_name, pk), code="unknown")
        return row


class VisibleIds(_NamesRows, serializers.ListField):
    """A list of ids of rows of `model` the person may see, checked in one query; each hidden
    or missing id is refused at its index, in the same words."""

    def __init__(self, model, **kwargs):
        self._set_model(model)
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        visible = self._visible(ids)
        errors = {
            index: [_unknown(self.field_name, pk)]
            for index, pk in enumerate(ids)
            if pk not in visible
        }
        if errors:
            raise serializers.ValidationError(errors, code="unknown")
        return ids
