"""A list fetches the columns its serializer shows, and nothing else.

A page of 100 comments was loading, per comment, the consultation and the programme it
belongs to (every column, a dozen timestamps each) that the list never shows; building
those model instances was a good part of the list's time (bench/over_http.py). The columns
a list needs are read from its serializer, the one description of what it shows (and of
the schema), so they cannot drift apart:

- a field whose source is a column of the model: that column (a foreign key shown as its
  id: the key's column);
- a nested serializer on a foreign key (`organisation = OrganisationBriefSerializer()`):
  the relation, joined (select_related), with the columns that serializer shows;
- a nested list (`many=True`), an annotation, or a field that is no column: nothing of
  the row (annotations are the selector's, untouched); the selector's Prefetch of that
  list, when it is one of a reverse foreign key, is narrowed the same way to what the
  nested serializer shows (with the key its rows are grouped by).

A SerializerMethodField may read anything of the row, so a serializer with one names what
its methods read in `Meta.reads` (column names, [] for none beyond the prefetched and
annotated values); without it, or with a field of any other computed source, that level of
the row keeps all its columns and the selector's joins. The query counts of
bench/list_endpoints.py (at most 10, the same at page sizes 10 and 100) and
tests/commissioning/test_query_counts.py catch a column read but not fetched.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch, QuerySet
from rest_framework import serializers
from rest_framework.fields import SerializerMethodField


def _declared_reads(serializer) -> list[str] | None:
    """What the serializer says its methods (and fields on a model method) read."""
    reads = getattr(getattr(serializer, "Meta", None), "reads", None)
    return None if reads is None else list(reads)


def shown_columns(serializer, model) -> tuple[list[str], list[str]] | None:
    """(columns for QuerySet.only(), relations to join) of what `serializer` shows of a row
    of `model`; None when not every read of the row is known."""
    declared = _declared_reads(serializer)
    has_methods = any(isinstance(f, SerializerMethodField) for f in serializer.fields.values())
    if has_methods and declared is None:
        return None
    reads = declared or []
    concrete = {field.name: field for field in model._meta.concrete_fields}
    columns, joins = [model._meta.pk.name, *reads], []
    for name, field in serializer.fields.items():
        if isinstance(field, SerializerMethodField) or field.write_only:
            continue
        source = name if field.source in (None, "*") else field.source
        if source == "*" or "." in source:
            return None
        column = concrete.get(source)
        if isinstance(field, serializers.ListSerializer):
            if column is not None:
                return None
            continue  # a prefetched relation
        if column is None:
            if isinstance(field, serializers.BaseSerializer):
                return None  # a nested object on no foreign key of the row
            if hasattr(model, source) and not _is_relation_accessor(model, source):
                if declared is None:
                    return None  # a property or a method: reads unknown
                continue  # its reads are declared
            continue  # an annotation of the selector's
        if isinstance(field, serializers.BaseSerializer) and isinstance(column, models.ForeignKey):
            nested = shown_columns(field, column.related_model)
            if nested is None:
                return None
            columns.append(source)
            columns += [f"{source}__{path}" for path in nested[0]]
            joins += [source, *(f"{source}__{join}" for join in nested[1])]
            continue
        columns.append(source)
    return list(dict.fromkeys(columns)), joins


def _is_relation_accessor(model, name: str) -> bool:
    """A name the model class has that is a relation's accessor (a reverse key, many to
    many), not a property: its rows come from the selector's prefetch."""
    attribute = getattr(model, name, None)
    return attribute.__class__.__module__.startswith("django.db.models.fields.related")


def only_shown(queryset: QuerySet, serializer, back: str | None = None) -> QuerySet:
    """`queryset` fetching only what `serializer` (an instance: its `fields`) shows of each
    row, and joining only the relations it shows (`back`: the foreign key a prefetch groups
    its rows by, kept); unchanged when that is not known. Its prefetches of nested lists
    the serializer shows are narrowed the same way."""
    queryset = _narrowed_prefetches(queryset, serializer)
    found = shown_columns(serializer, queryset.model)
    if found is None:
        return queryset
    columns, joins = found
    queryset = queryset.select_related(None)
    if joins:  # select_related() with no names would join every foreign key
        queryset = queryset.select_related(*joins)
    return queryset.only(*columns, *([back] if back else []))


def _narrowed_prefetches(queryset: QuerySet, serializer) -> QuerySet:
    """Each Prefetch of a reverse foreign key that a nested list of the serializer shows
    (its source, no to_attr), narrowed to what that list shows of each row."""
    lookups = list(queryset._prefetch_related_lookups)
    nested = {
        field.source: field.child
        for field in serializer.fields.values()
        if isinstance(field, serializers.ListSerializer)
    }
    changed = False
    for n, lookup in enumerate(lookups):
        if not isinstance(lookup, Prefetch) or lookup.queryset is None or lookup.to_attr:
            continue
        child = nested.get(lookup.prefetch_through)
        try:
            relation = queryset.model._meta.get_field(lookup.prefetch_through)
        except FieldDoesNotExist:
            continue
        if child is None or not isinstance(relation, models.ManyToOneRel):
            continue
        narrowed = only_shown(lookup.queryset, child, back=relation.field.name)
        lookups[n] = Prefetch(lookup.prefetch_through, queryset=narrowed)
        changed = True
    if not changed:
        return queryset
    return queryset.prefetch_related(None).prefetch_related(*lookups)
