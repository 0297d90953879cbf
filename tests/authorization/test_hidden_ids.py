"""The walk of "a hidden id answers as a missing one", generated from the URL conf and the code.

For every API operation of the URL conf (drf-spectacular's endpoint enumerator, which walks
`get_resolver()`), the walk finds

- every id-taking filter of a list: the filters of the view's `filterset_class` that choose a
  row (ModelChoiceFilter, ModelMultipleChoiceFilter);
- every id field of a write body: the `VisibleId` and `VisibleIds` fields of the operation's
  request serializer (the one the schema documents), nested serializers and lists included;

and, as purchaser B's manager and as the provider outside A, sends each (a) with the id of a
row of purchaser A's scene that the actor may not see and (b) with an id that does not exist.
Both must get the same answer: the same status, and the same body once the id is replaced;
never a 2xx, never an Event. The rest of each request is the matrix's row for the
corresponding actor of A (tests/authorization/matrix.yaml), replayed on a mirror of A's scene
built for B (the same objects, B's own), so that the common case reaches the field under test:
the missing id must be refused on that very field (or the whole request before its body, with
a 403 or 404, for both alike).

Nothing is listed by hand: a new filter or field is walked as soon as it exists. What the
walk cannot build a request for fails `test_the_walk_can_build_every_case`, listed: an id
filter that is a plain number filter on a relation (it would tell a hidden id from a missing
one), an integer field named like a relation that is not a VisibleId, a model with no hidden
row in the scene.
"""

import re
from dataclasses import dataclass

import pytest
from django.db.models import Max
from django_filters.filters import ModelMultipleChoiceFilter, QuerySetRequestMixin
from django_filters.utils import get_model_field
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.test import APIClient

from commissioning import policies
from commissioning.api.fields import VisibleId, VisibleIds
from commissioning.models import Event, Membership
from tests import conftest
from tests.authorization import scene as authorization_scene
from tests.authorization.test_matrix import COUNTERPART, ENDPOINTS, _fill
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    PersonFactory,
    PoliticalBodyFactory,
    ProviderFactory,
)

# The outsiders, and the actor of A whose place each takes in the mirror of the scene.
ACTORS = {"manager_b": "manager_a", "provider_outside": "provider_in_a"}
WRITES = {"POST", "PUT", "PATCH"}
PROJECT_APPS = {"commissioning", "contracts", "dialogue", "workers"}


def _shape(pattern: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", pattern)


MATRIX_ROWS = {(_shape(e["pattern"]), e["method"]): e for e in ENDPOINTS}


# --- what the code has: operations, their id filters and id fields -------------------------


@dataclass(frozen=True)
class Case:
    method: str
    pattern: str
    where: str  # "query" or "body"
    path: tuple  # the field's path in the body (names, and 0 for the first item of a list)
    model: str  # the label of the model the id names
    many: bool  # a list of ids

    @property
    def name(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def __str__(self):
        return f"{self.method} {self.pattern} {self.where} {self.name}"


def _operations():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, _regex, method, callback in generator.endpoints:
        if not path.startswith("/api/"):
            continue
        view = generator.create_view(callback, method)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        yield path, method, view


def _relation_names() -> set[str]:
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if field.is_relation:
                names.add(field.name)
    return names


def _looks_like_an_id(name: str, field, relations: set[str]) -> bool:
    if isinstance(field, serializers.ListField):
        field = field.child
    if not isinstance(field, serializers.IntegerField):
        return False
    return name == "id" or name.endswith("_id") or name in relations


def _body_cases(method, pattern, serializer, prefix, relations, unbuildable):
    """The id fields of a request serializer, in depth."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        path = (*prefix, name)
        if isinstance(field, VisibleId | VisibleIds):
            many = isinstance(field, VisibleIds)
            yield Case(method, pattern, "body", path, field.model_label, many)
        elif isinstance(field, serializers.ListSerializer):
            yield from _body_cases(method, pattern, field.child, (*path, 0), relations, unbuildable)
        elif isinstance(field, serializers.Serializer):
            yield from _body_cases(method, pattern, field, path, relations, unbuildable)
        elif _looks_like_an_id(name, field, relations):
            unbuildable.append(
                f"{method} {pattern} body {'.'.join(map(str, path))}: an id field that is not "
                "a VisibleId/VisibleIds (commissioning/api/fields.py)"
            )


def _filter_cases(method, pattern, filterset_class, unbuildable):
    model = filterset_class._meta.model
    for name, id_filter in filterset_class.base_filters.items():
        if isinstance(id_filter, QuerySetRequestMixin):
            many = isinstance(id_filter, ModelMultipleChoiceFilter)
            label = id_filter.queryset.model._meta.label
            yield Case(method, pattern, "query", (name,), label, many)
            continue
        if getattr(id_filter, "method", None):
            continue
        field_name = id_filter.field_name or name
        field = get_model_field(model, field_name) or get_model_field(
            model, field_name.removesuffix("_id")
        )
        if field is not None and field.is_relation:
            unbuildable.append(
                f"{method} {pattern} query {name}: an id filter that is not a model choice "
                "filter (it would answer an empty page for a hidden id)"
            )


def _filterset_class(view):
    """The filter set the view's filter backends use: declared, or generated from
    `filterset_fields` (the same call the backend makes on each request)."""
    for backend in getattr(view, "filter_backends", ()):
        if hasattr(backend, "get_filterset_class"):
            queryset = getattr(view, "queryset", None)
            if queryset is None:
                queryset = view.get_queryset()
            return backend().get_filterset_class(view, queryset)
    return None


def _walk():
    cases, unbuildable = [], []
    relations = _relation_names()
    for pattern, method, view in _operations():
        if method == "GET" and getattr(view, "action", "list") == "list":
            filterset_class = _filterset_class(view)
            if filterset_class is not None:
                cases += _filter_cases(method, pattern, filterset_class, unbuildable)
        if method in WRITES:
            serializer = view.schema.get_request_serializer()
            if isinstance(serializer, type):
                serializer = serializer()
            if isinstance(serializer, serializers.Serializer):
                SERIALIZERS[(method, pattern)] = serializer
                cases += _body_cases(method, pattern, serializer, (), relations, unbuildable)
    for case in cases:
        if (_shape(case.pattern), case.method) not in MATRIX_ROWS:
            unbuildable.append(f"{case}: no row of matrix.yaml to take the rest of it from")
    return cases, unbuildable


SERIALIZERS: dict = {}  # (method, pattern) -> the request serializer the schema documents
CASES, UNBUILDABLE = _walk()


def test_the_walk_finds_the_id_fields_and_filters():
    """The walk is not empty by accident (a change to the enumerator that finds nothing)."""
    found = {str(case) for case in CASES}
    assert "POST /api/v1/meetings/ body invitees[0].organisation" in found
    assert "POST /api/v1/arenas/ body members" in found
    assert "GET /api/v1/programmes/ query purchaser" in found
    assert len([c for c in CASES if c.where == "body"]) >= 30
    assert len([c for c in CASES if c.where == "query"]) >= 20


def test_the_walk_can_build_every_case():
    assert not UNBUILDABLE, "The walk cannot build a request for:\n" + "\n".join(UNBUILDABLE)


# --- the scenes: A's, and a mirror of it for B ----------------------------------------------


def _mirror(world):
    """The world seen from B: purchaser B in A's place, the provider outside in the place of
    the provider in A, and a network, a member and a committee of B's own."""
    network = NetworkFactory(name="Network in B")
    member = ProviderFactory(name="Network member in B")
    NetworkMembershipFactory(network=network, provider=member)
    committee = PoliticalBodyFactory(name="Committee of B", oversees=world.purchaser_b)
    world.programme_b.participants.add(network)
    people = {
        "manager_a": world.people["manager_b"],
        "provider_in_a": world.people["provider_outside"],
    }
    for name, organisation, role in (
        ("officer_a", world.purchaser_b, Membership.Role.OFFICER),
        ("network_rep", network, Membership.Role.PROVIDER_REPRESENTATIVE),
        ("network_member", member, Membership.Role.PROVIDER_REPRESENTATIVE),
        ("politician_a", committee, Membership.Role.POLITICIAN),
    ):
        person = PersonFactory(username=f"{name}_of_b")
        MembershipFactory(person=person, organisation=organisation, role=role)
        people[name] = person
    return conftest.World(
        purchaser_a=world.purchaser_b,
        purchaser_b=world.purchaser_a,
        provider_in_a=world.provider_outside,
        provider_outside=world.provider_in_a,
        network=network,
        network_member=member,
        political_body_a=committee,
        programme_a=world.programme_b,
        programme_b=world.programme_a,
        people=people,
    )


def _build_mirror(world, ids_of_a):
    mirror = _mirror(world)
    ids = authorization_scene.world_ids(mirror)
    for build in (
        authorization_scene._contracts,
        authorization_scene._rulebooks,
        authorization_scene._consultations,
        authorization_scene._meetings,
        authorization_scene._programme_things,
    ):
        build(mirror, ids)
    dates = ("today", "in_10_days", "a_day_ago", "a_day_ago_plus_1h", "next_week", "in_30_days")
    ids |= {name: ids_of_a[name] for name in dates}
    return mirror, ids


@pytest.fixture(scope="module")
def scenes(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with authorization_scene.shared_scene(django_db_blocker, media) as (world, ids):
        yield world, _build_mirror(world, ids)[1]


# --- the requests ---------------------------------------------------------------------------


def _hidden_and_missing(model_label: str, person) -> tuple[int | None, int]:
    from django.apps import apps

    model = apps.get_model(model_label)
    visible = policies.visible_rows(model, person).values("pk")
    hidden = model.objects.exclude(pk__in=visible).aggregate(pk=Max("pk"))["pk"]
    highest = model.objects.aggregate(pk=Max("pk"))["pk"] or 0
    return hidden, highest + 100_000


def _element(serializer, person, ids) -> dict:
    """An item of a nested list the matrix's body has none of: its required fields, each
    with a plain value of its type (the field under test replaces its own)."""
    element = {}
    for name, field in serializer.fields.items():
        if field.read_only or not field.required:
            continue
        if isinstance(field, VisibleId):
            element[name] = policies.visible_rows(field.model, person).order_by("pk")[0].pk
        elif isinstance(field, serializers.ChoiceField):
            element[name] = next(iter(field.choices))
        elif isinstance(field, serializers.DateTimeField):
            element[name] = ids["next_week"]
        elif isinstance(field, serializers.DateField):
            element[name] = ids["in_10_days"]
        elif isinstance(field, serializers.IntegerField):
            element[name] = 30
        else:
            element[name] = "Walked"
    return element


def _serializer_at(case: Case, prefix: tuple):
    serializer = SERIALIZERS[(case.method, case.pattern)]
    for part in prefix:
        if not isinstance(part, int):
            serializer = serializer.fields[part]
            serializer = getattr(serializer, "child", serializer)
    return serializer


def _with_id(case: Case, body: dict, value, person, ids) -> dict:
    """The body with the field under test set to `value` (in a list of one if it takes a
    list), building the nested items on the way."""
    body = dict(body)
    node = body
    for index, part in enumerate(case.path[:-1]):
        following = case.path[index + 1]
        if isinstance(following, int):
            items = node.get(part) or [
                _element(_serializer_at(case, case.path[: index + 2]), person, ids)
            ]
            node[part] = [dict(items[0])]
            node = node[part][0]
        elif not isinstance(part, int):
            node[part] = dict(
                node.get(part)
                or _element(_serializer_at(case, case.path[: index + 1]), person, ids)
            )
            node = node[part]
    node[case.path[-1]] = [value] if case.many and case.where == "body" else value
    return body


def _send(case: Case, actor: str, ids: dict, person, value):
    row = MATRIX_ROWS[(_shape(case.pattern), case.method)]
    role = ACTORS[actor]
    ids = {
        **ids,
        "acting_for": ids[authorization_scene.ACTS_FOR[role]],
        "counterpart": ids[COUNTERPART[role]],
    }
    params = {
        name: ids[value] if isinstance(value, str) else value
        for name, value in row.get("params", {}).items()
    }
    path = row["pattern"].format(**params)
    client = APIClient()
    client.force_authenticate(person)
    headers = {"HTTP_X_ACTING_FOR": str(ids["acting_for"])}
    if case.where == "query":
        query = {**_fill(row.get("query", {}), ids), case.path[0]: value}
        return client.get(path, query, **headers)
    body = _with_id(case, _fill(row.get("body", {}), ids), value, person, ids)
    return getattr(client, case.method.lower())(path, body, format="json", **headers)


def _names_the_field(response, case: Case) -> bool:
    node = response.json().get("error", {}).get("fields", {})
    path = case.path if case.where == "body" else case.path[:1]
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return bool(node)


def _text(response, value) -> str:
    return re.sub(rf"\b{value}\b", "{id}", response.content.decode())


WALK = [pytest.param(case, actor, id=f"{case} as {actor}") for case in CASES for actor in ACTORS]


@pytest.mark.parametrize(("case", "actor"), WALK)
def test_a_hidden_id_answers_as_a_missing_one(scenes, db, case, actor):
    world, ids = scenes
    person = world.people[actor]
    hidden, missing = _hidden_and_missing(case.model, person)
    assert hidden is not None, f"{case}: the scene has no {case.model} hidden from {actor}"
    events = Event.objects.count()
    on_hidden = _send(case, actor, ids, person, hidden)
    on_missing = _send(case, actor, ids, person, missing)
    assert not 200 <= on_hidden.status_code < 300, f"{case}: a hidden id was accepted"
    assert Event.objects.count() == events
    assert on_hidden.status_code == on_missing.status_code, (
        f"{on_hidden.status_code} {on_hidden.content[:300]!r} vs "
        f"{on_missing.status_code} {on_missing.content[:300]!r}"
    )
    assert _text(on_hidden, hidden) == _text(on_missing, missing)
    if on_missing.status_code not in {403, 404}:
        assert on_missing.status_code == 400
        assert _names_the_field(on_missing, case), (
            f"{case}: the request did not reach the field: {on_missing.content[:400]!r}"
        )
