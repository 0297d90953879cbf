"""The core every other app leans on: organisations, the people acting for them, programmes,
milestones, and the Event log that is both the audit trail and the outbox of background jobs."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.shipped import ShownInReadersLanguage


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PURCHASER = "purchaser", _("Purchaser")
        PROVIDER = "provider", _("Provider")
        PROVIDER_NETWORK = "provider_network", _("Provider network")
        POLITICAL_BODY = "political_body", _("Political body")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        NON_PROFIT = "non_profit", _("Non-profit")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Equal treatment of public and private providers is checked per ownership, so every
    # provider must say what it is; other kinds have none.
    ownership = models.CharField(
        _("ownership"), max_length=20, choices=Ownership.choices, blank=True, default=""
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. SE"))
    official_id = models.CharField(
        _("official identifier"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Organisation number, Companies House or ODS code, organisasjonsnummer"),
    )
    # A political body (a regional health committee, an ICB board, a municipal council) is
    # tied to the purchaser it oversees; its politicians read that purchaser's programmes.
    oversees = models.ForeignKey(
        "self",
        verbose_name=_("oversees"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="political_bodies",
        limit_choices_to={"kind": Kind.PURCHASER},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="organisation_ownership_only_for_providers",
                condition=(Q(kind="provider") & ~Q(ownership=""))
                | (~Q(kind="provider") & Q(ownership="")),
            ),
            models.CheckConstraint(
                name="organisation_oversees_only_for_political_bodies",
                condition=Q(kind="political_body") | Q(oversees__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["country", "official_id"],
                condition=~Q(official_id=""),
                name="organisation_official_id_unique_per_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Commissioning manager")
        OFFICER = "officer", _("Commissioning officer")
        PROVIDER_REPRESENTATIVE = "provider_representative", _("Provider representative")
        POLITICIAN = "politician", _("Politician")

    # Which organisation kinds each role belongs to; services refuse any other pairing.
    ROLES_BY_KIND = {
        Organisation.Kind.PURCHASER: {Role.MANAGER, Role.OFFICER},
        Organisation.Kind.PROVIDER: {Role.PROVIDER_REPRESENTATIVE},
        Organisation.Kind.PROVIDER_NETWORK: {Role.PROVIDER_REPRESENTATIVE},
        Organisation.Kind.POLITICAL_BODY: {Role.POLITICIAN},
    }

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # The "organisation admin" right of a provider organisation's or network's
    # representative: invites and removes colleagues of that organisation.
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.organisation}"


class NetworkMembership(models.Model):
    """A provider that belongs to a provider network: the network speaks with one voice for
    its members, so the members see what the network takes part in."""

    network = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_members",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER_NETWORK},
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "provider__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "provider"], name="network_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} in {self.network}"


class Programme(models.Model):
    class Framework(models.TextChoices):
        SE_CARE_CHOICE = "se_care_choice", _("Swedish care choice (vårdval, LOV)")
        UK_PROVIDER_SELECTION = "uk_provider_selection", _("English provider selection regime")
        NO_COOPERATION_AGREEMENT = (
            "no_cooperation_agreement",
            _("Norwegian cooperation agreement (samarbeidsavtale)"),
        )
        GENERIC = "generic", _("Generic")

    class Phase(models.TextChoices):
        PLANNING = "planning", _("Planning")
        EARLY_DIALOGUE = "early_dialogue", _("Early dialogue")
        CONSULTATION = "consultation", _("Consultation")
        DECISION = "decision", _("Decision")
        CONTRACTING = "contracting", _("Contracting")
        DELIVERY = "delivery", _("Delivery")
        CLOSED = "closed", _("Closed")

    class Language(models.TextChoices):
        EN = "en", _("English")
        SV = "sv", _("Swedish")
        NB = "nb", _("Norwegian Bokmål")

    purchaser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": Organisation.Kind.PURCHASER},
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    framework = models.CharField(
        _("framework"), max_length=32, choices=Framework.choices, default=Framework.GENERIC
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default="planning")
    target_decision_date = models.DateField(_("target decision date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Stockholm")
    participants = models.ManyToManyField(
        Organisation, through="Participation", related_name="participating_programmes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """An organisation (provider, network, or a partner purchaser such as a health trust)
    taking part in a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="participation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.programme}"


class Event(models.Model):
    """One change of state, written in the same transaction as the change.

    The audit trail (who, acting for which organisation, what, before and after) and the
    outbox: `relayed_at` stays empty until the relay has started what follows from it.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    acting_for = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_acted",
    )
    # The purchaser whose data the subject is: the policy scopes the audit trail by it.
    purchaser = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_owned",
    )
    verb = models.CharField(max_length=64)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64)
    subject_repr = models.CharField(max_length=200, blank=True, default="")
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    relayed_at = models.DateTimeField(null=True, blank=True)
    # The id of the request that made the change (or whose task did), as in the logs
    # (commissioning.request_log); empty for changes made outside a request or task.
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="event_subject_idx"),
            models.Index(
                fields=["id"], condition=Q(relayed_at__isnull=True), name="event_unrelayed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_repr}"


# --- early-dialogue milestones ----------------------------------------------------------


class MilestoneKind(models.TextChoices):
    """The OCDS 1.1 milestone types (shared/ocds-1.1.5/codelists/milestoneType.csv)."""

    PRE_PROCUREMENT = "preProcurement", _("Pre-procurement")
    APPROVAL = "approval", _("Approval")
    ENGAGEMENT = "engagement", _("Engagement")
    ASSESSMENT = "assessment", _("Assessment")
    DELIVERY = "delivery", _("Delivery")
    REPORTING = "reporting", _("Reporting")
    FINANCING = "financing", _("Financing")
    PAYMENT = "payment", _("Payment")


class MilestoneTemplate(ShownInReadersLanguage, models.Model):
    """A milestone plan for one framework, stored as data an administrator edits."""

    framework = models.CharField(
        _("framework"), max_length=32, choices=Programme.Framework.choices, unique=True
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["framework"]
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")

    def __str__(self) -> str:
        return self.name


class MilestoneTemplateStep(ShownInReadersLanguage, models.Model):
    class AppliesTo(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        CONTRACT = "contract", _("Contract")

    template = models.ForeignKey(MilestoneTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    gating = models.BooleanField(_("gating"), default=False)
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.PROGRAMME
    )
    # Due date relative to the programme's target decision date: -60 is 60 days before.
    offset_days = models.IntegerField(_("days from the target decision date"), default=0)
    # Why the step exists: the finding, law or guidance it serves.
    rationale = models.TextField(_("why this step exists"))

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("milestone template step")
        verbose_name_plural = _("milestone template steps")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_step_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Milestone(ShownInReadersLanguage, models.Model):
    shipped_if = "template_step_id"  # planned from a template: its words may be shipped text

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")
        WAIVED = "waived", _("Waived")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    # Set for a contract's own milestones; empty for the programme's.
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    template_step = models.ForeignKey(
        MilestoneTemplateStep, null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    rationale = models.TextField(_("why this step exists"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    gating = models.BooleanField(_("gating"), default=False)
    # Either an absolute due date, or days relative to the programme's target decision date
    # (so that moving the decision date moves the plan).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_offset_days = models.IntegerField(
        _("days from the target decision date"), null=True, blank=True
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True, default="")
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                name="milestone_due_absolute_or_relative",
                condition=~(Q(due_date__isnull=False) & Q(due_offset_days__isnull=False)),
            ),
            models.CheckConstraint(
                name="milestone_waiver_has_reason",
                condition=~Q(status="waived") | ~Q(waiver_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="milestone_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_due_date(self):
        if self.due_date is not None:
            return self.due_date
        target = self.programme.target_decision_date
        if self.due_offset_days is None or target is None:
            return None
        return target + datetime.timedelta(days=self.due_offset_days)

    @property
    def is_overdue(self) -> bool:
        """Planned and past its due date (in TIME_ZONE): a job marks it missed later."""
        due = self.effective_due_date
        return self.status == self.Status.PLANNED and due is not None and due < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """Still in the way of a gated decision: planned, or missed and never met/waived."""
        return self.status in {self.Status.PLANNED, self.Status.MISSED}


class MilestoneEvidence(models.Model):
    """What shows a milestone was met: a meeting, a consultation, a document or a link."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CONSULTATION = "consultation", _("Consultation")
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # A meeting or consultation of the dialogue app, named by type and id.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64, blank=True, default="")
    document = models.FileField(_("document"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True, default="")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "created_at", "id"]
        verbose_name = _("milestone evidence")
        verbose_name_plural = _("milestone evidence")

    def __str__(self) -> str:
        return self.title


class Profile(models.Model):
    """What a person prefers: the language of their pages, emails, pulses and briefings (empty
    means "the language of the organisation's country": SE → sv, NO → nb, otherwise en) and
    the time zone times are shown in, and the time of day their digest of notifications comes."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Programme.Language.choices, blank=True, default=""
    )
    # An IANA name (Europe/Oslo); empty means the installation's TIME_ZONE.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    # When the daily digest of notifications is sent, in the person's time zone.
    digest_time = models.TimeField(_("digest time"), default=datetime.time(7, 0))

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"Profile of {self.person}"
