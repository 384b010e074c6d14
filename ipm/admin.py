from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "email", "role", "structure", "is_active")
    list_filter = ("role", "structure", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
    fieldsets = BaseUserAdmin.fieldsets + (("Rôle sur la plateforme", {"fields": ("role", "structure", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Rôle sur la plateforme", {"fields": ("first_name", "last_name", "email", "role", "structure")}),
    )
