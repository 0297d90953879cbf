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


@pytest.fixture
def redis_on(redis_proc, settings):
    """Django's cache on the test Redis, as REDIS_CACHE_URL configures it (short timeouts,
    so a test that stops Redis does not wait on it)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{redis_proc.host}:{redis_proc.port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return redis_proc
