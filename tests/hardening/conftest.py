import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def fresh_counts_and_language():
    """Each test starts with no throttle counts (the token endpoint's count per address would
    carry over from the tests before) and with no language left active by one of them."""
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()
