from django.contrib import admin

from .models import Dossier, DossierEvent, Youth


@admin.register(Youth)
class YouthAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "birth_date", "sex", "postcode")
    search_fields = ("search_name", "last_name", "first_name")


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_state", "to_state", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-mostly: the state changes only through the workflow (the dossier pages)."""

    list_display = ("pk", "youth", "structure", "state", "received_on", "imported")
    list_filter = ("state", "structure", "imported")
    search_fields = ("youth__search_name", "legacy_reference")
    readonly_fields = ("state", "state_changed_at")
    raw_id_fields = ("youth", "referring_counsellor", "platform_counsellor")
    inlines = [DossierEventInline]
