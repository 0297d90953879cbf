"""A notification in a person's in-app list (Notice) and a person's choice of delivery for a
kind (Preference). The email of a notice is sent once through workers.mail.send_once, under
the key of the notice; the Notice row itself is made once per person and occasion, by its
unique key."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation
from notifications.kinds import KINDS, Delivery

KIND_CHOICES = [(code, kind.label) for code, kind in KINDS.items()]


class Notice(models.Model):
    """One occasion told to one person. `key` names both ("consultation-opened:12:34"), so an
    occasion relayed twice makes no second notice. The title and link are written when the
    notice is made, in the person's language then; `delivery` is what their choice was then
    (or the digest, when an email of the same kind about the same subject went out within a
    day). `emailed_at` is set in the transaction that sends its email, or its digest."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    # The organisation the person is told as (their language falls back to its country's).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    key = models.CharField(max_length=200, unique=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True, default="")
    language = models.CharField(max_length=2)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["person"], condition=Q(read_at__isnull=True), name="notice_unread_idx"
            ),
            models.Index(fields=["person", "-created_at"], name="notice_list_idx"),
            models.Index(
                fields=["delivery", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notice_unsent_idx",
            ),
            models.Index(
                fields=["person", "kind", "subject_type", "subject_id"], name="notice_subject_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Preference(models.Model):
    """How a person wants one kind of notification emailed. No row: the kind's default."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.kind}: {self.delivery}"
