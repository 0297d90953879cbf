"""A purchaser's settings for the health of its relationships."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation


class RelationshipSettings(models.Model):
    """Per purchaser: after how many days without a held meeting a relationship alerts."""

    purchaser = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="relationship_settings"
    )
    no_meeting_alert_days = models.PositiveIntegerField(
        _("alert after days without a meeting"), default=90
    )

    class Meta:
        verbose_name = _("relationship settings")
        verbose_name_plural = _("relationship settings")

    def __str__(self) -> str:
        return f"{self.purchaser}: {self.no_meeting_alert_days} days"


# --- consultations on draft rulebooks ---------------------------------------------------
