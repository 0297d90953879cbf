"""Concerns raised between the organisations of a purchaser–provider relationship."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation, Programme
from dialogue.models.meetings import Meeting


class Concern(models.Model):
    """A challenge one organisation raises with another ("discharge notices arrive after
    3 pm"): the Norwegian purchaser units' formal dialogue about the challenges."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DISCUSSED = "discussed", _("Discussed")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The purchaser of the relationship: the policy scopes by it.
    purchaser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_with = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="concerns_received"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    reply_by = models.DateField(_("reply by"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RAISED
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    discussed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    resolution = models.TextField(_("resolution"), blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    raised_by_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        constraints = [
            models.CheckConstraint(
                name="concern_between_two_organisations",
                condition=~Q(raised_by=F("raised_with")),
            )
        ]
        indexes = [models.Index(fields=["purchaser", "status"], name="concern_status_idx")]

    def __str__(self) -> str:
        return self.title
