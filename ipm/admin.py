from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import backup_codes, twofactor
from .models import AccountEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "email", "role", "structure", "is_active", "second_factor")
    list_filter = ("role", "structure", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
    fieldsets = BaseUserAdmin.fieldsets + (("Rôle sur la plateforme", {"fields": ("role", "structure", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Rôle sur la plateforme", {"fields": ("first_name", "last_name", "email", "role", "structure")}),
    )
    actions = ["reset_second_factor"]

    @admin.display(description="double authentification")
    def second_factor(self, user):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return "non activée"
        return f"activée ({backup_codes.remaining(user)} code(s) de secours)"

    @admin.action(description="Réinitialiser la double authentification (téléphone perdu)", permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """Asks first; then deletes the accounts' authenticator and backup codes (they enrol again at their
        next page, open sessions included) and records each reset in the audit journal."""
        if request.POST.get("confirm") == "oui":
            for account in queryset:
                twofactor.reset_second_factor(account, request.user)
            count = queryset.count()
            self.message_user(request, f"Double authentification réinitialisée pour {count} compte(s) : à sa prochaine "
                              "page, chaque personne enregistrera son nouveau téléphone et recevra de nouveaux codes "
                              "de secours. La réinitialisation est inscrite au journal.", messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/ipm/user/reset_second_factor.html", {
            **self.admin_site.each_context(request), "title": "Réinitialiser la double authentification ?",
            "accounts": queryset, "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Read-only: the lines are written by the two-factor pages and the reset above."""

    list_display = ("at", "action", "account_username", "actor")
    list_filter = ("action",)
    search_fields = ("account_username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
