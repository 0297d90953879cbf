from django.contrib import admin

from notifications.models import Notice, Preference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "person", "kind", "title", "delivery", "emailed_at", "read_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["key", "title", "person__email"]
    raw_id_fields = ["person", "organisation"]
    readonly_fields = ["key", "subject_type", "subject_id", "created_at", "emailed_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["person"]
