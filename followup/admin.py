from django.contrib import admin

from .models import FollowUpCall


@admin.register(FollowUpCall)
class FollowUpCallAdmin(admin.ModelAdmin):
    list_display = ("dossier", "month", "due_date", "assigned_to", "reached", "situation")
    list_filter = ("month", "situation", "reached")
    raw_id_fields = ("dossier",)
