"""Consultations on draft rulebooks and contract versions, with their invitations, comments,
comment revisions, co-signatures and responses."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commissioning.models import Organisation, Programme
from dialogue.markdown import render_markdown


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
    # Comments to a public body are public records once the case is closed (Sweden's and
    # Norway's access-to-documents rules); the purchaser decides per consultation.
    public = models.BooleanField(
        _("published after the close"),
        default=True,
        help_text=_(
            "After the close, the consultation, every comment with its organisation, the "
            "responses and what changed are published on a page anyone can read, in an Atom "
            "feed and as OCDS. No person's name or email address is published."
        ),
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


class CommentManager(models.Manager):
    """The comments of the consultations: submitted and withdrawn ones, never a network's
    draft. The default manager, so every read of comments (lists, summaries, exports, counts,
    the console, the public pages, reminders, related managers such as
    `consultation.comments`) leaves drafts out without saying so; only the draft stage's own
    services and selectors use `Comment.with_drafts`."""

    def get_queryset(self):
        return super().get_queryset().exclude(status=Comment.Status.DRAFT)


class Comment(models.Model):
    """A comment of one organisation (or a network, for its members) on a consultation.

    Its text lives in revisions that are never overwritten; the latest is the current one.
    Withdrawal keeps every revision.

    A network's joint comment starts as a draft: read only by the network and, once
    circulated, its members, who co-sign it; it becomes a comment of the consultation when
    the network submits it (the window applies then). A status rather than a model of its
    own: the draft has the same anchor, revisions and co-signatures as the comment it
    becomes, and `objects` hides it from every existing read."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        OBJECTION = "objection", _("Objection")
        PROPOSAL = "proposal", _("Proposal")
        SUPPORT = "support", _("Support")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
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
    # Empty while a draft; set when the comment is submitted, within the window.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    with_drafts = models.Manager()
    objects = CommentManager()

    class Meta:
        ordering = ["consultation", "submitted_at", "id"]
        default_manager_name = "objects"
        base_manager_name = "with_drafts"
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                name="comment_span_needs_clause",
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(clause__isnull=False, span_start__isnull=False, span_end__gt=F("span_start")),
            ),
            models.CheckConstraint(
                name="comment_submitted_unless_draft",
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
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

    @property
    def reference(self) -> str:
        """The receipt's reference: the year it was submitted and its number, stable for
        good once submitted (R-2026-000123); empty for a draft."""
        if self.submitted_at is None:
            return ""
        return f"R-{self.submitted_at.year}-{self.pk:06d}"

    def known_revisions(self, revisions: list["CommentRevision"]) -> None:
        """`self.revisions.all()` answers `revisions` without a query, as after a prefetch:
        the ones a service has just written, all the comment has."""
        known = self.revisions.all()
        known._result_cache, known._prefetch_done = list(revisions), True
        self._prefetched_objects_cache = {
            **getattr(self, "_prefetched_objects_cache", {}),
            "revisions": known,
        }


class CommentRevision(models.Model):
    """One text of a comment, never changed once written. Its sanitised HTML is rendered once,
    as it is saved ("cooked", as Discourse does with posts), not on every read: the comment
    lists would otherwise render each comment's Markdown on every page (bench/over_http.py).
    A change of dialogue.markdown's rules is applied to the stored HTML by a data migration
    (as 0004_comment_cooked_html filled it)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, blank=True, default="")
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

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    @property
    def html(self) -> str:
        """The sanitised HTML of the text: the stored one, or rendered now for a revision
        written without save() (bulk loads)."""
        if self.body_html or not self.body:
            return self.body_html
        return render_markdown(self.body)


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
