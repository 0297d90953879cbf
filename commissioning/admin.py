"""The administrator's site. Saves and deletions here are changes of state like any other,
so each one writes its Event in the same transaction (the admin wraps them in one)."""

from django.contrib import admin
from django.db import models, transaction

from commissioning.models import (
    Event,
    Membership,
    Milestone,
    MilestoneEvidence,
    MilestoneTemplate,
    MilestoneTemplateStep,
    NetworkMembership,
    Organisation,
    Participation,
    Programme,
)
from commissioning.services.events import record_event, snapshot


class AuditedAdmin(admin.ModelAdmin):
    def _purchaser_of(self, obj):
        return None

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            acting_for=None,
            verb=f"{obj._meta.model_name}.{'updated' if change else 'created'}_by_admin",
            subject=obj,
            before=before,
            after=snapshot(obj),
            purchaser=self._purchaser_of(obj),
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        record_event(
            actor=request.user,
            acting_for=None,
            verb=f"{obj._meta.model_name}.deleted_by_admin",
            subject=obj,
            before=snapshot(obj),
            purchaser=self._purchaser_of(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "ownership", "country", "official_id"]
    list_filter = ["kind", "ownership", "country"]
    search_fields = ["name", "official_id"]

    def _purchaser_of(self, obj):
        return obj if obj.kind == Organisation.Kind.PURCHASER else obj.oversees


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["person", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["person__username", "person__email", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def _purchaser_of(self, obj):
        kind = obj.organisation.kind
        return obj.organisation if kind == Organisation.Kind.PURCHASER else None


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(AuditedAdmin):
    list_display = ["network", "provider"]
    search_fields = ["network__name", "provider__name"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "purchaser", "framework", "phase", "target_decision_date"]
    list_filter = ["framework", "phase", "language"]
    search_fields = ["name", "purchaser__name"]
    inlines = [ParticipationInline]

    def _purchaser_of(self, obj):
        return obj.purchaser


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited, not even by an administrator."""

    list_display = ["created_at", "verb", "subject_repr", "actor", "acting_for", "relayed_at"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["verb", "subject_repr", "subject_id", "request_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneTemplateStepInline(admin.TabularInline):
    model = MilestoneTemplateStep
    extra = 0
    fields = ["position", "title", "kind", "gating", "applies_to", "offset_days", "rationale"]


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(AuditedAdmin):
    """Templates are data: an administrator edits the steps and why each exists."""

    list_display = ["name", "framework"]
    inlines = [MilestoneTemplateStepInline]


class MilestoneEvidenceInline(admin.TabularInline):
    model = MilestoneEvidence
    extra = 0
    # A link typed without a scheme is taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin):
    list_display = ["title", "programme", "contract", "kind", "status", "gating", "due_date"]
    list_filter = ["status", "kind", "gating"]
    search_fields = ["title", "programme__name"]
    inlines = [MilestoneEvidenceInline]

    def _purchaser_of(self, obj):
        return obj.programme.purchaser
