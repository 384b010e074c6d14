from django.contrib import admin

from .models import ContractAcceptance, InvitationAnswer, RectificationRequest, YouthAccount


@admin.register(YouthAccount)
class YouthAccountAdmin(admin.ModelAdmin):
    list_display = ["youth", "user", "created_at", "last_link_sent_at"]
    raw_id_fields = ["youth", "user"]


@admin.register(InvitationAnswer)
class InvitationAnswerAdmin(admin.ModelAdmin):
    list_display = ["invitation", "answer", "reason", "answered_at"]
    raw_id_fields = ["invitation"]


@admin.register(ContractAcceptance)
class ContractAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["contract", "version", "accepted_at", "ip_address"]
    readonly_fields = ["contract", "version", "user", "accepted_at", "ip_address", "user_agent", "text"]


@admin.register(RectificationRequest)
class RectificationRequestAdmin(admin.ModelAdmin):
    list_display = ["youth", "created_at", "status", "handled_at", "handled_by"]
    list_filter = ["status"]
    raw_id_fields = ["youth", "handled_by"]
