from django.contrib import admin

from commissioning.admin import AuditedAdmin
from contracts.models import (
    Clause,
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    ObligationFulfilment,
    Rulebook,
    RulebookVersion,
)


class ContractPartyInline(admin.TabularInline):
    model = ContractParty
    extra = 0
    autocomplete_fields = ["organisation"]


class ContractVersionInline(admin.StackedInline):
    """Versions are shown, never edited here: a sealed version is never overwritten."""

    model = ContractVersion
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(AuditedAdmin):
    list_display = ["__str__", "programme", "purchaser", "status"]
    list_filter = ["status"]
    search_fields = ["reference", "versions__title", "programme__name"]
    readonly_fields = ["status", "signed_at", "status_changed_at"]
    inlines = [ContractPartyInline, ContractVersionInline]

    def _purchaser_of(self, obj):
        return obj.purchaser


class ObligationFulfilmentInline(admin.TabularInline):
    model = ObligationFulfilment
    extra = 0


@admin.register(Obligation)
class ObligationAdmin(AuditedAdmin):
    list_display = ["title", "contract", "owed_by", "cadence", "first_due"]
    list_filter = ["cadence"]
    inlines = [ObligationFulfilmentInline]

    def _purchaser_of(self, obj):
        return obj.contract.purchaser


class RulebookVersionInline(admin.TabularInline):
    model = RulebookVersion
    extra = 0
    fields = ["number", "status", "summary", "adopted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rulebook)
class RulebookAdmin(AuditedAdmin):
    list_display = ["title", "programme"]
    inlines = [RulebookVersionInline]

    def _purchaser_of(self, obj):
        return obj.programme.purchaser


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    """Read-only here: clauses change through the API, which refuses edits to versions that
    have been in consultation."""

    list_display = ["key", "heading", "version"]
    search_fields = ["key", "heading", "text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
