"""Every endpoint and method of the URL conf, written the way the matrix names them:
`/api/v1/contracts/{pk}/versions/{number}/` for both regex and path() patterns."""

import inspect
import re

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

# Open without signing in: the token endpoint, and the feed whose token is its credential.
PUBLIC = {"/api/v1/auth/token/", "/api/v1/calendar/{token}.ics"}


def api_schema() -> dict:
    """The OpenAPI schema /api/schema/ serves, generated the same way."""
    return SchemaGenerator().get_schema(request=None, public=True)


# HEAD and OPTIONS answer for every view the same way GET and the framework do.
IGNORED_METHODS = {"HEAD", "OPTIONS", "TRACE"}
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def normalise(pattern: str) -> str:
    """`api/v1/^contracts/(?P<pk>[^/.]+)/$` and `api/v1/contracts/<int:pk>/` read
    `/api/v1/contracts/{pk}/`."""
    text = _GROUP.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", pattern)
    text = text.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + text


def _declared_methods(view) -> set[str] | None:
    """The methods of require_http_methods/require_POST, found in the decorator's closure."""
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return {method.upper() for method in cell.cell_contents}
        function = getattr(function, "__wrapped__", None)
    return None


def _methods_read_from_source(view) -> set[str]:
    """A function view that declares no methods answers whatever it is sent: GET is the one
    it is written for, and POST too when its code reads a posted form."""
    source = inspect.getsource(inspect.unwrap(view))
    posts = "request.POST" in source or '"POST"' in source
    return {"GET", "POST"} if posts else {"GET"}


def methods_of(callback) -> set[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route: its own method -> action map
        methods = {method.upper() for method in actions}
    else:
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if view_class is not None:
            methods = {
                name.upper() for name in view_class.http_method_names if hasattr(view_class, name)
            }
        else:
            methods = _declared_methods(callback) or _methods_read_from_source(callback)
    return methods - IGNORED_METHODS


def url_conf_endpoints() -> dict[str, set[str]]:
    """pattern -> methods, for every route of the project's URL conf."""
    found: dict[str, set[str]] = {}

    def walk(resolver: URLResolver, prefix: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                pattern = normalise(prefix + str(entry.pattern))
                found.setdefault(pattern, set()).update(methods_of(entry.callback))

    walk(get_resolver(), "")
    return found


STAFF_ACTORS = {"manager_a", "officer_a", "manager_b"}
PROVIDER_ACTORS = {"provider_in_a", "provider_outside", "network_rep", "network_member"}


def refused_for_role(actor: str | None, path: str, method: str) -> bool:
    """Whether the actor's role may never write to this address (the view's `writers`): then
    the answer is 403 before the id or the body is looked at, whatever they name."""
    from django.urls import resolve

    from commissioning.policies import Writers

    if actor is None or method.upper() not in {"POST", "PUT", "PATCH", "DELETE"}:
        return False
    match = resolve(path.split("?")[0])
    writers = getattr(match.func.cls, "writers", None)
    if isinstance(writers, dict):
        action = (getattr(match.func, "actions", None) or {}).get(method.lower())
        writers = writers.get(action, writers.get(None))
    may = {
        Writers.ANYONE: STAFF_ACTORS | PROVIDER_ACTORS | {"politician_a"},
        Writers.PURCHASER_STAFF: STAFF_ACTORS,
        Writers.PROVIDERS: PROVIDER_ACTORS,
        Writers.PURCHASER_STAFF_OR_PROVIDERS: STAFF_ACTORS | PROVIDER_ACTORS,
    }[Writers(writers)]
    return actor not in may
