from django.contrib import admin

from accounts.models import ApiToken, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "is_admin", "created_at", "expires_at")
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    readonly_fields = ("key", "accepted_at", "accepted_by", "revoked_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "person", "prefix", "created_at", "last_used_at")
    search_fields = ("name", "person__username")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")
