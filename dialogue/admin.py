"""The administrator's site for arenas and meetings. Saves here are changes like any other:
AuditedAdmin writes their Event. The record of a meeting (attendance and minutes revisions)
is read-only here too, because it is never overwritten (DESIGN.md)."""

from django.contrib import admin
from django.db import models

from commissioning.admin import AuditedAdmin
from dialogue.models import (
    ActionItem,
    Arena,
    AttendanceRevision,
    Concern,
    Meeting,
    MinutesRevision,
    RelationshipSettings,
)


@admin.register(Arena)
class ArenaAdmin(AuditedAdmin):
    list_display = ["name", "purchaser", "kind", "cadence_weeks"]
    list_filter = ["kind"]
    search_fields = ["name", "purchaser__name"]
    filter_horizontal = ["members"]

    def _purchaser_of(self, obj):
        return obj.purchaser


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "purchaser", "arena", "programme", "starts_at", "status", "sequence"]
    list_filter = ["status"]
    search_fields = ["title", "purchaser__name"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "minutes_approved_at", "minutes_approved_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _purchaser_of(self, obj):
        return obj.purchaser

    def save_model(self, request, obj, form, change):
        # Calendars replace an event only when its SEQUENCE grew: an administrator's change
        # must reach invitees like an officer's.
        if change:
            obj.sequence += 1
        super().save_model(request, obj, form, change)


@admin.register(ActionItem)
class ActionItemAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "owner_organisation", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["title", "meeting__title", "owner_organisation__name"]

    def _purchaser_of(self, obj):
        return obj.meeting.purchaser


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Attendance and minutes revisions: read here, corrected through the API with a
    reason."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AttendanceRevision)
class AttendanceRevisionAdmin(ReadOnlyRecordAdmin):
    list_display = ["meeting", "number", "reason", "created_at"]


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(ReadOnlyRecordAdmin):
    list_display = ["meeting", "number", "reason", "created_at"]


@admin.register(Concern)
class ConcernAdmin(AuditedAdmin):
    list_display = ["title", "purchaser", "raised_by", "raised_with", "status", "reply_by"]
    list_filter = ["status"]
    search_fields = ["title", "raised_by__name", "raised_with__name"]

    def _purchaser_of(self, obj):
        return obj.purchaser


@admin.register(RelationshipSettings)
class RelationshipSettingsAdmin(AuditedAdmin):
    list_display = ["purchaser", "no_meeting_alert_days"]

    def _purchaser_of(self, obj):
        return obj.purchaser
