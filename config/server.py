"""What a server process does once, after the application has loaded."""

import gc


def settle_memory() -> None:
    """Tune the cyclic garbage collector for a request server (bench/list_endpoints.py,
    README "Benchmarks": these took the p95 of the heaviest lists from 130-190 ms to under
    50 ms at full scale).

    Freeze what start-up loaded (Django, the URL conf, the apps, the translations): it lives
    as long as the process, and unfrozen, each full collection re-scanned it, 45-80 ms that
    landed on about one list request in ten. Collect the youngest generation after 50,000
    new objects rather than 700: a page of 100 rows makes tens of thousands of short-lived
    objects, nearly all freed by reference counting, so the default ran dozens of
    collections per request for almost nothing; at most 50,000 objects of cyclic garbage wait
    for the next collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
