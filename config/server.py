"""What a server process does once, after the application has loaded."""

import gc


def warm_up() -> None:
    """Load now what the first requests of each worker process would otherwise load on their
    own time: the URL conf with every view module it imports (and its reverse lookups), the
    Celery app's tasks and its broker transport (no connection is made), and the translation
    catalogues. In a closing surge right after a start a fifth of the gunicorn workers' time
    went to these imports (py-spy of bench/over_http.py's surge)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    from config.celery import app

    get_resolver().reverse_dict  # noqa: B018  (the property imports and populates)
    app.tasks  # noqa: B018  (the property finalizes the app: its task modules are imported)
    app.connection_for_write().transport  # noqa: B018  (the transport class, not connected)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")


def settle_memory() -> None:
    """Tune the cyclic garbage collector for a request server (bench/list_endpoints.py,
    README "Benchmarks": these took the p95 of the heaviest lists from 130-190 ms to under
    50 ms at full scale).

    Freeze what start-up loaded (Django, the apps, and what warm_up loaded): it lives
    as long as the process, and unfrozen, each full collection re-scanned it, 45-80 ms that
    landed on about one list request in ten. Collect the youngest generation after 50,000
    new objects rather than 700: a page of 100 rows makes tens of thousands of short-lived
    objects, nearly all freed by reference counting, so the default ran dozens of
    collections per request for almost nothing; at most 50,000 objects of cyclic garbage wait
    for the next collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
