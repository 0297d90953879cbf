"""Contracts with their versions and obligations, and rulebooks with their versions and
clauses."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation, Programme


class Contract(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("Service contract")
        CARE_CHOICE_AGREEMENT = "care_choice_agreement", _("Care-choice agreement (LOV)")
        FRAMEWORK_AGREEMENT = "framework_agreement", _("Framework agreement")
        COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement")
        SUBCONTRACT = "subcontract", _("Subcontract")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_DIALOGUE = "in_dialogue", _("In dialogue")
        NEGOTIATION = "negotiation", _("Negotiation")
        FINALISED = "finalised", _("Finalised")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="contracts")
    purchaser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="purchased_contracts"
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    providers = models.ManyToManyField(
        Organisation, through="ContractParty", related_name="contracts"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["purchaser", "status"], name="contract_status_idx")]

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.title if latest else f"Contract {self.pk}"


class ContractParty(models.Model):
    """A provider that is party to a contract; an integrated service has several."""

    class Role(models.TextChoices):
        LEAD_PROVIDER = "lead_provider", _("Lead provider")
        PROVIDER = "provider", _("Provider")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")
        PARTNER = "partner", _("Partner")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["contract", "role", "id"]
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"], name="contract_party_unique"
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(role="lead_provider"),
                name="contract_one_lead_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ContractVersion(models.Model):
    """The terms of a contract at one version. The latest version is the current terms.

    Before signing, a draft version is edited in place or a new numbered version is made;
    signing seals every version, and a change after that is an amendment: a new version."""

    TERM_FIELDS = [
        "title",
        "kind",
        "period_start",
        "period_end",
        "value",
        "currency",
        "notice_period_months",
        "renewal_options",
        "clinical_governance",
        "pathway_development",
    ]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    change_summary = models.TextField(_("change summary"), blank=True, default="")
    is_amendment = models.BooleanField(_("amendment"), default=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Contract.Kind.choices)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    notice_period_months = models.PositiveIntegerField(
        _("notice period (months)"), null=True, blank=True
    )
    renewal_options = models.TextField(_("renewal options"), blank=True, default="")
    # The UK finding: clinical governance was never agreed, and the contract limited pathway
    # development. Both are terms of their own so that they are visible and diffed.
    clinical_governance = models.TextField(
        _("clinical-governance arrangements"), blank=True, default=""
    )
    pathway_development = models.TextField(_("pathway-development terms"), blank=True, default="")
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="contract_version_unique_number"
            ),
            models.CheckConstraint(
                name="contract_version_period_in_order",
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args, **kwargs):
        # The last line of defence for "signed versions are never overwritten"; services
        # refuse first, with a message for the person.
        if self.pk and type(self).objects.filter(pk=self.pk, sealed_at__isnull=False).exists():
            raise ValueError(f"Contract version {self.pk} is sealed and cannot be changed.")
        super().save(*args, **kwargs)


class Obligation(models.Model):
    """A duty under a contract, owed by one organisation, once or on a cadence."""

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    owed_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="obligations")
    cadence = models.CharField(
        _("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.ONCE
    )
    # For "once", the due date; for a cadence, the first due date of the series.
    first_due = models.DateField(_("first due"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "first_due", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.title


class ObligationFulfilment(models.Model):
    """One occurrence of an obligation done: which due date it answers, and when."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="fulfilments")
    due = models.DateField(_("occurrence due"))
    fulfilled_on = models.DateField(_("fulfilled on"))
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["obligation", "due"]
        verbose_name = _("obligation fulfilment")
        verbose_name_plural = _("obligation fulfilments")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "due"], name="obligation_fulfilment_once_per_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation} due {self.due}: done {self.fulfilled_on}"


class Rulebook(models.Model):
    """The standard terms of a programme (a care-choice scheme's regelbok)."""

    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, related_name="rulebook")
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme"]
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")

    def __str__(self) -> str:
        return self.title


class RulebookVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_CONSULTATION = "in_consultation", _("In consultation")
        CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    rulebook = models.ForeignKey(Rulebook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary of changes"), blank=True, default="")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rulebook", "number"]
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "number"], name="rulebook_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["rulebook"],
                condition=Q(status="adopted"),
                name="rulebook_one_adopted_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rulebook} v{self.number}"

    @property
    def is_editable(self) -> bool:
        """Only a draft that was never in consultation; after that, make a new version."""
        return self.status == self.Status.DRAFT


class Clause(models.Model):
    """A clause of a rulebook version. `key` ("4.2") is what people cite; `lineage` is the
    same for a clause across versions even when its key changes, so that a renumbered
    clause is followed rather than shown as removed and added."""

    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="clauses")
    key = models.CharField(_("key"), max_length=20)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"), blank=True, default="")

    class Meta:
        ordering = ["version", "position", "key"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="clause_unique_key"),
            models.UniqueConstraint(fields=["version", "lineage"], name="clause_unique_lineage"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.heading}"
