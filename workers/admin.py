"""The records of the background work, for reading in the admin: which handler ran for
which Event, which email went to whom. Read-only: each row is the once-only key of something
that happened, and changing or deleting one would make it happen again."""

from django.contrib import admin

from workers.models import HandlerRun, Notification


class RecordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandlerRun)
class HandlerRunAdmin(RecordAdmin):
    list_display = ["handler", "event", "ran_at"]
    list_filter = ["handler"]
    list_select_related = ["event"]
    search_fields = ["handler", "event__verb", "event__subject_repr"]
    date_hierarchy = "ran_at"


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    list_display = ["key", "kind", "email", "language", "sent_at"]
    list_filter = ["kind", "language"]
    search_fields = ["key", "email", "subject"]
    date_hierarchy = "sent_at"
