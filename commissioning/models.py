"""The core every other app leans on: organisations, the people acting for them, programmes,
and the Event log that is both the audit trail and the outbox of background jobs."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
