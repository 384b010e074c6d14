from django.contrib import admin

from ipm.forms import SaneDatesAdminMixin

from .models import Dossier, DossierEvent, Youth


@admin.register(Youth)
class YouthAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
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
class DossierAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    """Read-mostly: the state changes only through the workflow (the dossier pages)."""

    list_display = ("pk", "youth", "structure", "state", "received_on", "imported")
    list_filter = ("state", "structure", "imported")
    search_fields = ("youth__search_name", "legacy_reference")
    readonly_fields = ("state", "state_changed_at")
    raw_id_fields = ("youth", "referring_counsellor", "platform_counsellor")
    inlines = [DossierEventInline]


# --- Reference data of the stages before departure: the checklist per scheme, the commission grid. -----
from .models import CommissionCriterion, CommissionSession, DocumentType, SensitiveAccess  # noqa: E402


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "scheme", "required", "order", "active")
    list_filter = ("scheme", "required", "active")
    list_editable = ("order", "active")


@admin.register(CommissionCriterion)
class CommissionCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "max_score", "order", "active")
    list_editable = ("max_score", "order", "active")


@admin.register(CommissionSession)
class CommissionSessionAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("date", "place", "status")
    filter_horizontal = ("members",)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    """The read log of the sensitive items: read-only, for the data-protection officer."""

    list_display = ("accessed_at", "user", "dossier", "action")
    list_filter = ("action",)
    search_fields = ("user__username", "dossier__id")
    readonly_fields = ("accessed_at", "user", "dossier", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
