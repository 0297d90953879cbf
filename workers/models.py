"""What the background jobs record so that each of them happens exactly once: handler runs
of the Event relay, notifications sent, trust pulses and their answers, rendered documents."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Event, Organisation, Programme


class HandlerRun(models.Model):
    """One handler run for one Event. The unique pair is what makes a relay run twice, or a
    task delivered twice, do nothing twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="handler_runs")
    handler = models.CharField(max_length=100)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="handler_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.handler} for event {self.event_id}"


class Notification(models.Model):
    """An email sent once: `key` names the recipient and the occasion ("action-due:17:42"),
    so a job run twice finds the row and sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    subject = models.CharField(max_length=300)
    language = models.CharField(max_length=2)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["kind", "sent_at"], name="notification_kind_idx")]

    def __str__(self) -> str:
        return self.key


class TrustPulse(models.Model):
    """A short survey after a held meeting or a closed consultation, sent to one person
    through a link that needs no login. Only a hash of the token is stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_pulses"
    )
    # The organisation the person answered for, and the purchaser on the other side: the
    # relationship the answer speaks of.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    purchaser = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    arena = models.ForeignKey(
        "dialogue.Arena", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occasion_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    occasion_id = models.CharField(max_length=64)
    occasion_date = models.DateField()
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=2)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "occasion_type", "occasion_id"], name="pulse_once_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["purchaser", "occasion_date"], name="pulse_scope_idx")]

    def __str__(self) -> str:
        return f"Pulse for {self.person} on {self.occasion_type.model} {self.occasion_id}"


class PulseAnswer(models.Model):
    """The answer to a pulse: five statements, 1 to 5, and a free text. One per pulse,
    changeable until the pulse expires."""

    STATEMENTS = [
        _("We were involved early enough to influence the outcome."),
        _("There was enough room for dialogue, not only information."),
        _("The other party was open about finances and conditions."),
        _("Public and private providers were treated equally."),
        _("I trust the other party to act in good faith."),
    ]

    pulse = models.OneToOneField(TrustPulse, on_delete=models.CASCADE, related_name="answer")
    involved_early = models.PositiveSmallIntegerField()
    room_for_dialogue = models.PositiveSmallIntegerField()
    open_about_finances = models.PositiveSmallIntegerField()
    equal_treatment = models.PositiveSmallIntegerField()
    good_faith = models.PositiveSmallIntegerField()
    free_text = models.TextField(blank=True, default="")
    answered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCORE_FIELDS = [
        "involved_early",
        "room_for_dialogue",
        "open_about_finances",
        "equal_treatment",
        "good_faith",
    ]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name=f"pulse_{name}_1_to_5", condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5})
            )
            for name in [
                "involved_early",
                "room_for_dialogue",
                "open_about_finances",
                "equal_treatment",
                "good_faith",
            ]
        ]

    def __str__(self) -> str:
        return f"Answer to {self.pulse}"


class PulseOptOut(models.Model):
    """A person who unsubscribed from trust pulses: none is sent to them again."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person} opted out"


class Document(models.Model):
    """A PDF ordered through the API and rendered by a worker. `inputs_hash` is a hash of
    everything it is made from (a redline's `compared_with` among it), so the same inputs are
    never rendered twice."""

    class Kind(models.TextChoices):
        MEETING_SUMMARY = "meeting_summary", _("Meeting summary")
        CONSULTATION_REPORT = "consultation_report", _("Consultation report")
        CONTRACT_SUMMARY = "contract_summary", _("Contract summary")
        BRIEFING = "briefing", _("Briefing for politicians")
        RULEBOOK_VERSION = "rulebook_version", _("Rulebook version")
        RULEBOOK_REDLINE = "rulebook_redline", _("Rulebook redline")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    purchaser = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64)
    # A redline's other side: the version the subject (the newer one) is compared with.
    compared_with = models.ForeignKey(
        "contracts.RulebookVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(max_length=2, choices=Programme.Language.choices)
    inputs_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    checksum = models.CharField(max_length=64, blank=True, default="")
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acting_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "language", "inputs_hash"],
                name="document_rendered_once_per_inputs",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_id} ({self.language})"


class BriefingRequest(models.Model):
    """A politician's request for a briefing on a programme of the purchaser their political
    body oversees. Open until a briefing of the programme is ordered in its language (by the
    purchaser's staff, through workers.documents.orders), which closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    purchaser = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The political body the politician asked for.
    acting_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Programme.Language.choices)
    note = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["purchaser", "status"], name="briefing_request_open_idx")]

    def __str__(self) -> str:
        return f"Briefing request {self.pk} on programme {self.programme_id} ({self.language})"
