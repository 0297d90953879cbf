"""A server process loads at start what its first requests would otherwise load."""

from tests.fresh_process import printed

CHECK = """
import sys
import config.wsgi
from config.celery import app
from django.utils import translation
print("config.urls" in sys.modules, "dialogue.api.urls" in sys.modules, app.finalized,
      all(code in translation.trans_real._translations for code in ("sv", "nb", "en")))
"""


def test_loading_the_wsgi_application_loads_the_url_conf_the_tasks_and_the_catalogues():
    loaded = printed(
        CHECK,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        # An address nothing answers: loading must not connect to the broker.
        CELERY_BROKER_URL="redis://192.0.2.1:6379/0",
    )
    assert loaded == ["True", "True", "True", "True"]
