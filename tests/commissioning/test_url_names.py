"""Every URL name of the project points at one pattern, so reverse() never silently picks
one of two (the pages once shared `meeting-detail` with the API's router)."""

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver

# The admin site and DRF's browsable-API login each name their own login and logout.
THIRD_PARTY_DUPLICATES = {"login", "logout"}


def named_patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from named_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, prefix + str(pattern.pattern)


def test_no_two_url_patterns_of_the_project_share_a_name():
    routes = defaultdict(list)
    for name, route in named_patterns(get_resolver().url_patterns):
        routes[name].append(route)
    shared = {
        name: found
        for name, found in routes.items()
        if len(found) > 1 and name not in THIRD_PARTY_DUPLICATES
    }
    assert not shared
