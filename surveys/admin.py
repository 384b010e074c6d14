"""Managers edit the questionnaires here: the questionnaire with its sections, each section with its
questions. Every save publishes the questionnaire (a new version once the latest has answers)."""
from django.contrib import admin

from .models import Item, Questionnaire, QuestionnaireVersion, Response, Section, Survey


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    show_change_link = True
    fields = ["title", "position"]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "label", "kind", "required", "options", "partner_rated"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "version_number"]
    filter_horizontal = ["schemes"]
    inlines = [SectionInline]

    @admin.display(description="version en cours")
    def version_number(self, obj):
        version = obj.current_version
        return version.number if version else "—"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "questionnaire", "position"]
    list_filter = ["questionnaire"]
    inlines = [ItemInline]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "created_at"]
    readonly_fields = ["questionnaire", "number", "content", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["dossier", "horizon", "due_date", "created_at"]
    list_filter = ["horizon"]
    raw_id_fields = ["dossier"]
    readonly_fields = ["dossier", "horizon", "due_date", "version"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "source", "answered_at", "entered_by"]
    list_filter = ["source"]
    readonly_fields = ["survey", "version", "source", "entered_by", "answered_at"]
