from django.contrib import admin

from ipm.forms import SaneDatesAdminMixin

from .models import (
    Contract,
    CoPayment,
    FundingAgreement,
    GrantPayment,
    HostOrganisation,
    Incident,
    Payment,
    Platform,
    QuotaOverrun,
    Scheme,
    SiteVisit,
    Stay,
    UnitCost,
)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "format", "typical_duration_weeks", "contract_variant", "europass_cadence", "active")
    search_fields = ("name",)


@admin.register(FundingAgreement)
class FundingAgreementAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("funder", "funder_name", "year", "scheme", "places", "amount", "amount_per_participant",
                    "grant_agreement_number")
    list_filter = ("year", "funder", "scheme")
    search_fields = ("grant_agreement_number", "reference")


@admin.register(QuotaOverrun)
class QuotaOverrunAdmin(admin.ModelAdmin):
    list_display = ("dossier", "scheme", "year", "places_used", "places_granted", "confirmed_by", "confirmed_at")
    list_filter = ("year", "scheme")
    raw_id_fields = ("dossier",)


@admin.register(HostOrganisation)
class HostOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "town", "oid", "sector", "contact_name", "active")
    list_filter = ("country", "active")
    search_fields = ("name", "town", "sector", "oid")


class SiteVisitInline(admin.TabularInline):
    model = SiteVisit
    extra = 0


class IncidentInline(admin.TabularInline):
    model = Incident
    extra = 0


@admin.register(Stay)
class StayAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "scheme", "host", "country", "city", "departure_date", "return_date", "interrupted")
    list_filter = ("scheme", "interrupted", "country")
    raw_id_fields = ("dossier",)
    inlines = [SiteVisitInline, IncidentInline]


@admin.register(Contract)
class ContractAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "version", "generated_at", "signed_on")
    raw_id_fields = ("dossier",)


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(CoPayment)
class CoPaymentAdmin(admin.ModelAdmin):
    list_display = ("dossier", "amount_due", "waived")
    raw_id_fields = ("dossier",)
    inlines = [PaymentInline]


@admin.register(UnitCost)
class UnitCostAdmin(admin.ModelAdmin):
    """The Programme Guide's unit costs per call year: managers add a new call year's amounts here."""

    list_display = ("call_year", "action_type", "kind", "band", "country_group", "amount", "source")
    list_filter = ("call_year", "kind", "action_type")
    list_editable = ("amount",)


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("__str__", "oid", "city", "country")


@admin.register(GrantPayment)
class GrantPaymentAdmin(SaneDatesAdminMixin, admin.ModelAdmin):
    list_display = ("stay", "paid_on", "amount", "means")
    raw_id_fields = ("stay",)
