"""Erasmus+ data that is not a departure: the platform's own identity at the agency, the unit-cost
tables of the Programme Guide (per call year, kept by managers) and the grant paid to the young person.
Registered with the app by departures/models.py."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .enums import ActionType, CountryGroup, DistanceBand, PaymentMeans, UnitCostKind
from .identifiers import validate_oid

MONEY = {"max_digits": 10, "decimal_places": 2}


class Platform(models.Model):
    """The sending organisation (the platform itself): one row, edited by managers."""

    oid = models.CharField(
        "OID Erasmus+ de la plateforme", max_length=9, blank=True, validators=[validate_oid],
        help_text="E suivi de huit chiffres : l'identifiant de la plateforme à l'agence Erasmus+.",
    )
    city = models.CharField("ville d'envoi", max_length=100, blank=True,
                            help_text="Point de départ du calcul des distances.")
    country = CountryField("pays d'envoi", default="FR")
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plateforme (identité Erasmus+)"
        verbose_name_plural = "plateforme (identité Erasmus+)"

    def __str__(self):
        return f"{settings.IPM_PLATFORM_NAME} ({self.oid or 'OID à renseigner'})"

    @classmethod
    def get(cls):
        """The platform's row, or an unsaved empty one (reading a page never writes)."""
        return cls.objects.order_by("pk").first() or cls()


class UnitCost(models.Model):
    """One amount of the Programme Guide's unit-cost tables, for one call year (and action type, or
    all when blank): travel per distance band, individual support per day per country group,
    inclusion support per participant."""

    call_year = models.PositiveSmallIntegerField("année de l'appel")
    action_type = models.CharField("action", max_length=12, choices=ActionType.choices, blank=True,
                                   help_text="Vide : toutes les actions.")
    kind = models.CharField("nature", max_length=20, choices=UnitCostKind.choices)
    band = models.CharField("bande de distance", max_length=10, choices=DistanceBand.choices, blank=True)
    country_group = models.CharField("groupe de pays", max_length=2, choices=CountryGroup.choices, blank=True)
    amount = models.DecimalField("montant (€)", **MONEY, validators=[MinValueValidator(0)])
    source = models.CharField("source", max_length=255, blank=True)

    class Meta:
        verbose_name = "coût unitaire Erasmus+"
        verbose_name_plural = "coûts unitaires Erasmus+"
        ordering = ["-call_year", "action_type", "kind", "band", "country_group"]
        constraints = [
            models.UniqueConstraint(fields=["call_year", "action_type", "kind", "band", "country_group"],
                                    name="unitcost_unique_entry"),
        ]

    def __str__(self):
        what = self.get_band_display() if self.band else (self.get_country_group_display() if self.country_group else "")
        return f"{self.call_year} {self.action_type or 'toutes actions'} — {self.get_kind_display()} {what} : {self.amount} €"


class GrantPayment(models.Model):
    """Money of the grant paid to (or for) the young person: an advance before the stay, the balance
    after it."""

    history = HistoricalRecords()
    stay = models.ForeignKey("departures.Stay", verbose_name="séjour", on_delete=models.CASCADE,
                             related_name="grant_payments")
    paid_on = models.DateField("date du versement")
    amount = models.DecimalField("montant (€)", **MONEY, validators=[MinValueValidator(0)])
    means = models.CharField("moyen de paiement", max_length=10, choices=PaymentMeans.choices,
                             default=PaymentMeans.TRANSFER)
    notes = models.CharField("remarque", max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="enregistré par", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "versement de la bourse"
        verbose_name_plural = "versements de la bourse"
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.amount} € le {self.paid_on:%d/%m/%Y}"
