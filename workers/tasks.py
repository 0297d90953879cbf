"""Celery finds tasks here (autodiscovery); each part of the background work keeps its tasks
in a module of its own."""

from workers.document_tasks import *  # noqa: F403
from workers.pulse_tasks import *  # noqa: F403
from workers.relay_tasks import *  # noqa: F403
from workers.reminder_tasks import *  # noqa: F403
