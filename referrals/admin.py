from django.contrib import admin

from ipm.forms import SaneDatesAdminMixin

from .models import OutreachAction, Referral, Structure


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "town", "active")
    list_filter = ("kind", "department", "active")
    search_fields = ("name", "town")


@admin.register(Referral)
class ReferralAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("last_name", "first_name", "structure", "status", "submitted_at")
    list_filter = ("status", "structure")
    search_fields = ("last_name", "first_name")
    raw_id_fields = ("youth", "dossier", "counsellor")


@admin.register(OutreachAction)
class OutreachActionAdmin(admin.ModelAdmin):
    """The « aller-vers » actions (managers keep them in the application too); one a fiche names is
    protected from deletion by the database."""
    list_display = ("name", "kind", "structure")
    list_filter = ("kind", "structure")
    search_fields = ("name", "structure__name")
    autocomplete_fields = ("structure",)
