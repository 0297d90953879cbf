"""Arenas and meetings, their agendas, minutes, attendance, decisions and actions; the
personal calendar feed; concerns raised between organisations.

Consultations on draft rulebooks with their comments and responses; trust pulses join
this app in their own issue."""

import secrets
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


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's iCalendar feed of every meeting they are invited to, at an unguessable
    address they can reset (which makes the old address answer 404)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    reset_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


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


class Consultation(models.Model):
    """A comment window on a draft rulebook version (or a contract version in dialogue):
    providers are heard before the purchaser decides (the Swedish finding)."""

    class Visibility(models.TextChoices):
        PRIVATE_UNTIL_CLOSE = "private_until_close", _("Private until close")
        OPEN = "open", _("Open")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    purchaser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultations"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="consultations")
    rulebook_version = models.ForeignKey(
        "contracts.RulebookVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    contract_version = models.ForeignKey(
        "contracts.ContractVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    visibility = models.CharField(
        _("visibility"),
        max_length=24,
        choices=Visibility.choices,
        default=Visibility.PRIVATE_UNTIL_CLOSE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    invited = models.ManyToManyField(
        Organisation, through="ConsultationInvitation", related_name="consultation_invitations"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                name="consultation_on_one_document",
                condition=Q(rulebook_version__isnull=False, contract_version__isnull=True)
                | Q(rulebook_version__isnull=True, contract_version__isnull=False),
            ),
            models.CheckConstraint(
                name="consultation_closes_after_it_opens",
                condition=Q(closes_at__gt=F("opens_at")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationInvitation(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation invitation")
        verbose_name_plural = _("consultation invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="consultation_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} to {self.consultation}"


class Comment(models.Model):
    """A comment of one organisation (or a network, for its members) on a consultation.

    Its text lives in revisions that are never overwritten; the latest is the current one.
    Withdrawal keeps every revision."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        OBJECTION = "objection", _("Objection")
        PROPOSAL = "proposal", _("Proposal")
        SUPPORT = "support", _("Support")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultation_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Anchored to a clause, optionally to a quoted span of its text; general when empty.
    clause = models.ForeignKey(
        "contracts.Clause",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    quoted_text = models.TextField(_("quoted text"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "submitted_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                name="comment_span_needs_clause",
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(clause__isnull=False, span_start__isnull=False, span_end__gt=F("span_start")),
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "clause"], name="comment_clause_idx"),
            models.Index(fields=["consultation", "organisation"], name="comment_org_idx"),
            # A page of a consultation's comments in the list's order, without sorting all
            # of them (bench/list_endpoints.py, "comments of a consultation").
            models.Index(
                fields=["consultation", "submitted_at", "id"], name="comment_timeline_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.organisation}"


class CommentRevision(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("comment"))
    suggested_wording = models.TextField(_("suggested wording"), blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "number"], name="comment_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.comment} rev {self.number}"


class CoSignature(models.Model):
    """A member provider standing behind its network's joint comment: one line instead of
    many, which purchasers value (the Swedish finding)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="cosignatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["comment", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="cosignature_one_active_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} co-signs {self.comment}"


class Response(models.Model):
    """The purchaser's answer to a comment: drafted during the window, published to the
    participants at the close ("you said, we did")."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        NOTED = "noted", _("Noted")

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="response")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    # The clause of the next rulebook version that changed because of the comment.
    changed_clause = models.ForeignKey(
        "contracts.Clause",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.comment}"
