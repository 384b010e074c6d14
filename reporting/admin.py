from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("original_name", "status", "total_rows", "created_by", "created_at")
    list_filter = ("status",)
    readonly_fields = ("file", "original_name", "created_by", "status", "total_rows", "processed_rows", "errors",
                       "summary", "message", "created_at", "finished_at")
