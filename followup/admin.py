from django.contrib import admin

from ipm.forms import SaneDatesAdminMixin

from .models import ContactPreference, CopyOptOut, FollowUpCall, SentMessage, SmsOptOut


@admin.register(FollowUpCall)
class FollowUpCallAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "month", "due_date", "assigned_to", "attempts", "reached", "situation", "done_at", "source")
    list_filter = ("month", "situation", "reached", "source")
    raw_id_fields = ("dossier", "assigned_to", "recorded_by")
    date_hierarchy = "due_date"


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "recipient", "period", "status", "attempts", "sent_at",
                    "delivery_status")
    list_filter = ("status", "kind", "channel", "delivery_status")
    search_fields = ("recipient", "object_key", "subject")
    raw_id_fields = ("dossier",)
    readonly_fields = ("created_at", "sent_at")


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    """How each young person wants to be told (they set it in their space; staff may set it here)."""

    list_display = ("youth", "channel", "updated_at")
    list_filter = ("channel",)
    search_fields = ("youth__last_name", "youth__first_name")
    raw_id_fields = ("youth",)


@admin.register(CopyOptOut)
class CopyOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    """Numbers that answered « STOP » (or unsubscribed at the provider): no SMS goes to them."""

    list_display = ("phone", "source", "created_at", "text")
    list_filter = ("source",)
    search_fields = ("phone",)
