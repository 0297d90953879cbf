from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = _("Commissioning")

    def ready(self):
        # The request log's receivers of django-structlog's signals.
        from django.contrib.auth.signals import user_logged_in

        from commissioning import request_log  # noqa: F401
        from commissioning.web.sign_in import forget_chosen_organisation

        user_logged_in.connect(
            forget_chosen_organisation, dispatch_uid="forget_chosen_organisation"
        )
