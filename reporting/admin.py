from django.contrib import admin

from .models import ImportJob, PopulationFigure


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("original_name", "status", "total_rows", "created_by", "created_at")
    list_filter = ("status",)
    readonly_fields = ("file", "original_name", "created_by", "status", "total_rows", "processed_rows", "errors",
                       "summary", "message", "created_at", "finished_at")


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    """The population aged 16 to 25 per department and year (the equity report's denominator)."""
    list_display = ("department", "year", "population", "source")
    list_filter = ("year",)
    search_fields = ("department", "source")
    ordering = ("department", "-year")
