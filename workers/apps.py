from importlib import import_module

from celery.signals import worker_init
from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

# The modules that define Celery tasks.
TASK_MODULES = (
    "workers.documents.render",
    "workers.pulses",
    "workers.relay",
    "workers.reminders.jobs",
)


class WorkersConfig(AppConfig):
    name = "workers"
    verbose_name = _("Workers")

    def ready(self):
        from commissioning.models import Event
        from workers import relay

        # Every process (web, worker, beat) knows every handler before it relays anything.
        relay.load_handlers()
        # And every task: each job keeps its tasks beside its service, in modules Celery's
        # autodiscovery (which looks for `<app>.tasks`) does not find by itself.
        for module in TASK_MODULES:
            import_module(module)
        worker_init.connect(preload_in_worker, dispatch_uid="workers.apps.preload_in_worker")
        post_save.connect(
            publish_on_commit, sender=Event, dispatch_uid="workers.relay.publish_on_commit"
        )


def publish_on_commit(sender, instance, created, raw=False, **kwargs):
    """Publish each new Event to the relay once its transaction has committed.

    robust=True: whatever goes wrong in publishing after the commit is logged and does not
    turn a committed write into an error response. This matters with no broker (the embedded
    default, `make demo`), where the relay runs in-process at the commit: a failing handler
    must not break the request that wrote the Event; the Event stays unrelayed and the sweep
    tries again."""
    if not created or raw:
        return
    from workers.relay import publish

    event_id = instance.pk
    transaction.on_commit(lambda: publish(event_id), robust=True)


def preload_in_worker(**kwargs):
    """A worker loads WeasyPrint once, before it starts its pool processes, so that no render
    pays for the import (seconds); other processes (the web, commands) never load it."""
    import_module("workers.documents.pdf")
