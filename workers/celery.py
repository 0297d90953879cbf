"""The Celery app. Its settings are the CELERY_* names in commissioning.settings: with no
CELERY_BROKER_URL every task runs in-process, which is what the embedded default wants."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

app = Celery("commissioning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
