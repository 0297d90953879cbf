"""The real Celery worker and Redis of tests/workers/conftest.py, for the fault tests."""

import pytest
from kombu import pools

from tests.workers.conftest import broker, celery_worker  # noqa: F401 (fixtures)
from workers.celery import app


@pytest.fixture(autouse=True)
def fresh_broker_pools():
    """The broker fixture closes the app's connection pool after a test but leaves it in
    kombu's global registry: empty it, or this test is handed a closed pool (as
    tests/workers/test_documents_worker.py does)."""
    pools.reset()
    app.amqp._producer_pool = None
