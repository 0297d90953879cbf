"""The Celery app. Its settings are the CELERY_* names in config.settings: with no
CELERY_BROKER_URL every task runs in-process, which is what the embedded default wants.

Three queues, so that a long PDF render never holds up a pulse or a reminder: `pdf`
(workers.documents.render), `followups` (pulses and reminders) and `default` (the Event relay
and anything else). The routes and the acknowledgement settings (acks late, given back when
a worker is lost, prefetch 1) are in config.settings."""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging
from django.conf import settings
from django_structlog.celery.steps import DjangoStructLogInitStep
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("commissioning")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "pdf", "followups")
# Declared rather than created on first use, so that a worker started with `--queues` and
# the routes in the settings agree on exactly these three.
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.conf.task_create_missing_queues = False
# A Redis host that does not answer fails a connection attempt in seconds rather than the
# system's TCP timeout (minutes), so that a request publishing an Event never hangs on it.
# Merged into the settings' options (CELERY_BROKER_TRANSPORT_OPTIONS: the visibility
# timeout), not in place of them.
app.conf.broker_transport_options = {
    "socket_connect_timeout": 3,
    **app.conf.broker_transport_options,
}

# A worker binds the log context a task was sent with (the request id, the person and the
# acting organisation: commissioning.request_log) while it runs the task, so its log lines
# and the Events it writes carry the request's id.
app.steps["worker"].add(DjangoStructLogInitStep)


def logging_of_the_settings(**kwargs):
    """A worker logs as the web does, one JSON object a line (Django's LOGGING), rather than
    in Celery's own format."""
    logging.config.dictConfig(settings.LOGGING)


# With text (the default) Celery's own format stays.
if settings.LOG_FORMAT == "json":
    setup_logging.connect(logging_of_the_settings, weak=False)


# No autodiscover_tasks(): it looks for `<app>.tasks` modules, and none exists; each job keeps
# its tasks beside its service, and WorkersConfig.ready() imports those modules.
