from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = _("Commissioning")

    def ready(self):
        # The request log's receivers of django-structlog's signals.
        from commissioning import request_log  # noqa: F401
