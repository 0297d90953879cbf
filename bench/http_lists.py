"""The lists of bench/over_http.py: every list route of the API (found as
bench/list_endpoints.py finds them), each beside its floor behind the same gunicorn.

The floor of a list is the same page of rows fetched with one SQL query and json.dumps
(bench/floor_wsgi.py). For the four lists bench/list_endpoints.py has a hand-written floor
query for (comments of a consultation, meetings of an arena, relationship health,
milestones: the columns the list shows, nested organisations, clauses and revisions
joined in), that query. For every other list, the query is made from the list's own view:
its queryset as the person sees it (the policy's scope, the filters, the order), the
columns of its own table that its serializer shows, the page's first `size` rows; nested
objects and computed fields are left out, so that floor is lower than what the list shows.
The SQL is written once (literal, as psycopg sends it) to the file the floor serves from.
"""

import re
from dataclasses import dataclass

import list_endpoints

# route → (name, the hand-written floor of bench/list_endpoints.py, extra query parameters)
HAND_FLOORS = {
    "/api/v1/consultations/<int:consultation_pk>/comments/": (
        "comments of the largest consultation",
        "comments of a consultation",
        {},
    ),
    "/api/v1/meetings/": ("meetings of the largest arena", "meetings of an arena", {"arena"}),
    "/api/v1/relationships/": ("relationship health", "relationship health", {}),
    "/api/v1/milestones/": ("milestones", "milestones", {}),
}
HEAVIEST = ("/api/v1/consultations/<int:consultation_pk>/comments/", "/api/v1/meetings/")


@dataclass
class ListRoute:
    route: str
    name: str
    path: str
    query: dict
    key: str
    hand_floor: bool

    def url(self, size: int) -> str:
        parameters = "&".join(f"{k}={v}" for k, v in {**self.query, "page_size": size}.items())
        return f"{self.path}?{parameters}"

    def floor_url(self, size: int) -> str:
        return f"/bench-floor/list/{self.key}/{size}/"


def routes(ids: dict, which: str) -> list[ListRoute]:
    """Every GET list route of the API ("all") or the two heaviest ("heaviest"), filled with
    the ids of the busiest objects of the first generated purchaser."""
    found = []
    for _name, route in list_endpoints.list_routes():
        if which == "heaviest" and route not in HEAVIEST:
            continue
        name, _floor, wanted = HAND_FLOORS.get(route, (route, None, {}))
        query = {"arena": ids["arena"]} if "arena" in wanted else {}
        found.append(
            ListRoute(
                route=route,
                name=name,
                path=list_endpoints._fill(route, ids),
                query=query,
                key=re.sub(r"[^a-z0-9]+", "-", route.lower()).strip("-"),
                hand_floor=route in HAND_FLOORS,
            )
        )
    return found


def _captured_sql(run) -> str:
    """The SQL of the last query `run` makes, as psycopg sent it (parameters in place)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return captured.captured_queries[-1]["sql"]


def _hand_floor(route: ListRoute, params: dict, size: int) -> str:
    from django.db import connection

    sql = list_endpoints.FLOOR_SQL[HAND_FLOORS[route.route][1]]
    sql = sql.replace("LIMIT 100", f"LIMIT {size}")

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return _captured_sql(run)


def _view_of(route: ListRoute, person, size: int):
    """The list's view, set up as for a GET of the list by `person` (not dispatched)."""
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory, force_authenticate

    match = resolve(route.path)
    view = match.func.cls(**match.func.initkwargs)
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get("get")
    raw = APIRequestFactory().get(route.path, {**route.query, "page_size": size})
    force_authenticate(raw, user=person)
    view.args, view.kwargs, view.format_kwarg, view.headers = (), match.kwargs, None, {}
    view.request = view.initialize_request(raw, **match.kwargs)
    return view


def _shown_columns(view, model) -> list[str]:
    """The columns of the list's own table that its serializer shows (a foreign key as its
    id); nested objects and computed fields are not columns of the table."""
    concrete = {field.name for field in model._meta.concrete_fields}
    serializer = view.get_serializer_class()(context={"request": view.request, "view": view})
    columns = []
    for name, field in serializer.fields.items():
        source = name if field.source in (None, "*") else field.source.split(".")[0]
        if source in concrete and source not in columns:
            columns.append(source)
    return columns or ["pk"]


def _generic_floor(route: ListRoute, person, size: int) -> str:
    from commissioning import policies

    view = _view_of(route, person, size)
    policies.forget_standing(person)
    queryset = view.filter_queryset(view.get_queryset()).prefetch_related(None)
    page = queryset.values_list(*_shown_columns(view, queryset.model))[:size]
    return _captured_sql(lambda: list(page))


def floor_queries(found: list[ListRoute], person, params: dict, sizes) -> dict:
    """{key: {size: SQL}} for the floor (bench/floor_wsgi.py)."""
    queries = {}
    for route in found:
        queries[route.key] = {
            str(size): (
                _hand_floor(route, params, size)
                if route.hand_floor
                else _generic_floor(route, person, size)
            )
            for size in sizes
        }
    return queries
