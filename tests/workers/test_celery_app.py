"""The Celery app takes its broker from CELERY_BROKER_URL, checked against a real Redis."""

from tests.fresh_process import printed

PROBE = (
    "import django; django.setup(); from config.celery import app; "
    "app.connection_for_write().ensure_connection(max_retries=1); "
    "print(app.conf.broker_url, app.conf.task_always_eager)"
)


def test_the_celery_app_connects_to_the_configured_redis(redis_proc):
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    assert printed(PROBE, CELERY_BROKER_URL=url, SECRET_KEY="test") == [url, "False"]


def test_without_a_broker_jobs_run_in_process():
    from config.celery import app

    assert app.conf.task_always_eager is True


TRANSPORT_PROBE = (
    "import django; django.setup(); from config.celery import app\n"
    "with app.connection_for_write() as conn:\n"
    "    conn.ensure_connection(max_retries=1)\n"
    "    channel = conn.default_channel\n"
    "    print(channel.visibility_timeout, channel.socket_connect_timeout)\n"
)


def test_the_broker_connection_has_the_visibility_timeout_and_the_connect_timeout(redis_proc):
    """Both options hold on a real connection: the visibility timeout of the settings
    (CELERY_VISIBILITY_TIMEOUT) and the app's short connect timeout."""
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    words = printed(
        TRANSPORT_PROBE, CELERY_BROKER_URL=url, CELERY_VISIBILITY_TIMEOUT="321", SECRET_KEY="test"
    )
    assert words == ["321", "3"]
