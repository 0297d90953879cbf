"""Arenas and meetings, their agendas, minutes, attendance, decisions and actions."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation, Programme


class Arena(models.Model):
    """A standing forum of a purchaser: where it meets its providers (or the hospital, or
    its politicians) on a cadence, so that meeting points are not lost (the Norwegian
    finding)."""

    class Kind(models.TextChoices):
        PROVIDER_COUNCIL = "provider_council", _("Provider council")
        COLLABORATION_MEETING = (
            "collaboration_meeting",
            _("Collaboration meeting (hospital–municipality)"),
        )
        POLITICAL_DIALOGUE = "political_dialogue", _("Political dialogue")
        LEARNING_NETWORK = "learning_network", _("Learning network")

    purchaser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="arenas")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, default="")
    members = models.ManyToManyField(Organisation, related_name="arena_memberships", blank=True)
    cadence_weeks = models.PositiveIntegerField(_("meets every (weeks)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("arena")
        verbose_name_plural = _("arenas")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    # The purchaser whose meeting it is: the policy scopes by it.
    purchaser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meetings")
    arena = models.ForeignKey(
        Arena, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Stockholm")
    place = models.CharField(_("place"), max_length=300, blank=True, default="")
    video_link = models.URLField(_("video link"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, default="")
    # iCalendar: the UID never changes; SEQUENCE grows with every change sent to invitees.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_organisations = models.ManyToManyField(
        Organisation, through="Invitation", related_name="meeting_invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                name="meeting_in_arena_or_programme",
                condition=Q(arena__isnull=False) | Q(programme__isnull=False),
            ),
            models.CheckConstraint(
                name="meeting_ends_after_it_starts", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]
        indexes = [
            models.Index(fields=["arena", "starts_at"], name="meeting_arena_time_idx"),
            models.Index(fields=["purchaser", "status", "starts_at"], name="meeting_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def logged_late(self) -> bool:
        """Back-filled: recorded more than BACKFILL_QUIET_DAYS after it took place (a manager
        entering last quarter's meetings). Such a meeting asks no trust pulse and sends no
        minutes notice; a log a few days late still does."""
        if self.created_at is None:
            return False
        late = datetime.timedelta(days=settings.BACKFILL_QUIET_DAYS)
        return self.created_at - self.starts_at > late


class Invitation(models.Model):
    """An organisation invited to a meeting, and optionally a named person of it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(person__isnull=True),
                name="invitation_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation", "person"],
                condition=Q(person__isnull=False),
                name="invitation_unique_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation} to {self.meeting}"


class AttendanceRevision(models.Model):
    """The attendance of a held meeting as recorded once. It is never overwritten: a
    correction is a new revision with its reason (and an Event); the latest one counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("reason for the correction"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="attendance_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} attendance {self.number}"


class AttendanceEntry(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    revision = models.ForeignKey(
        AttendanceRevision, on_delete=models.CASCADE, related_name="entries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation"],
                condition=Q(person__isnull=True),
                name="attendance_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["revision", "organisation", "person"],
                condition=Q(person__isnull=False),
                name="attendance_unique_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation}: {self.status}"


class MinutesRevision(models.Model):
    """Minutes in Markdown (sanitised when shown). Once approved they are never
    overwritten: a correction is a new revision with its reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField()
    text = models.TextField(_("minutes"))
    reason = models.TextField(_("reason for the correction"), blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} minutes {self.number}"


class AgendaItem(models.Model):
    """An item typed information, dialogue or decision: the Swedish finding that meetings
    are too information-heavy is measured from these minutes."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DIALOGUE = "dialogue", _("Dialogue")
        DECISION = "decision", _("Decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"))
    actual_minutes = models.PositiveIntegerField(_("actual minutes"), null=True, blank=True)
    presenter = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position"),
            models.CheckConstraint(
                name="agenda_item_has_planned_minutes", condition=Q(planned_minutes__gt=0)
            ),
            models.CheckConstraint(
                name="agenda_item_actual_minutes_positive",
                condition=Q(actual_minutes__isnull=True) | Q(actual_minutes__gt=0),
            ),
        ]
        indexes = [
            # The dialogue minutes of a page of meetings, from the index alone
            # (bench/list_endpoints.py, "meetings of an arena"; README, Benchmarks).
            models.Index(
                fields=["meeting"],
                include=["kind", "planned_minutes", "actual_minutes"],
                name="agenda_item_minutes_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(_("title"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="action_items"
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    # Who agreed the action on the record: their "actions I assigned" list follows it up.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    dropped_reason = models.TextField(_("reason for dropping"), blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                name="action_item_dropped_has_reason",
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="action_item_due_idx")]

    def __str__(self) -> str:
        return self.title
