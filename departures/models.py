from django.db import models
from django_countries.fields import CountryField

from .enums import ReminderCadence, SchemeFormat


class Scheme(models.Model):
    """A mobility programme (dispositif). Data that managers maintain, not code."""

    name = models.CharField("nom", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    typical_duration_weeks = models.PositiveSmallIntegerField("durée habituelle (semaines)", null=True, blank=True)
    format = models.CharField("format", max_length=12, choices=SchemeFormat.choices, default=SchemeFormat.INDIVIDUAL)
    europass_cadence = models.CharField(
        "rappels Europass", max_length=12, choices=ReminderCadence.choices, default=ReminderCadence.WEEKLY
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "dispositif"
        verbose_name_plural = "dispositifs"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Stay(models.Model):
    """The stay abroad of one dossier: planned and actual dates, where, and how it ended."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="stay")
    scheme = models.ForeignKey(Scheme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="stays")
    country = CountryField("pays", blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    planned_start = models.DateField("départ prévu", null=True, blank=True)
    planned_end = models.DateField("retour prévu", null=True, blank=True)
    departure_date = models.DateField("date de départ", null=True, blank=True, db_index=True)
    return_date = models.DateField("date de retour", null=True, blank=True, db_index=True)
    interrupted = models.BooleanField("séjour interrompu", default=False)
    interruption_reason = models.TextField("motif de l'interruption", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "séjour"
        verbose_name_plural = "séjours"
        ordering = ["-departure_date"]

    def __str__(self):
        return f"Séjour — {self.dossier}"

    @property
    def has_departed(self):
        return self.departure_date is not None
