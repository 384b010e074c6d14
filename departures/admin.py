from django.contrib import admin

from .models import Scheme, Stay


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "format", "typical_duration_weeks", "europass_cadence", "active")
    search_fields = ("name",)


@admin.register(Stay)
class StayAdmin(admin.ModelAdmin):
    list_display = ("dossier", "scheme", "country", "city", "departure_date", "return_date", "interrupted")
    list_filter = ("scheme", "interrupted", "country")
    raw_id_fields = ("dossier",)
