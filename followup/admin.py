from django.contrib import admin

from ipm.forms import SaneDatesAdminMixin

from .models import FollowUpCall, SentMessage


@admin.register(FollowUpCall)
class FollowUpCallAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "month", "due_date", "assigned_to", "attempts", "reached", "situation", "done_at", "source")
    list_filter = ("month", "situation", "reached", "source")
    raw_id_fields = ("dossier", "assigned_to", "recorded_by")
    date_hierarchy = "due_date"


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "recipient", "period", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("recipient", "object_key", "subject")
    raw_id_fields = ("dossier",)
    readonly_fields = ("created_at", "sent_at")
