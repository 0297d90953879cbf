"""The real Celery worker and Redis of tests/workers/conftest.py, for the fault tests (the
`broker` fixture drops pooled connections before and after each test)."""

from tests.workers.conftest import broker, celery_worker, worker_environment  # noqa: F401 (fixtures)
