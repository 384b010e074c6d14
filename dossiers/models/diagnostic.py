"""The mobility diagnostic (its sensitive items apart, every read logged) and the mobility project."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..enums import (
    CriminalRecord,
    DiagnosticOutcome,
    Housing,
    LanguageLevel,
    Orientation,
    PassportStatus,
    SocialSecurity,
    UnemploymentRights,
)
from .dossier import Dossier


# Countries counted as "Europe" for the first-departure rule (EU, EEA, UK, Switzerland, Balkans…).
EUROPE_COUNTRIES = frozenset(
    "AD AL AT BA BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC MD ME MK MT NL NO PL PT "
    "RO RS SE SI SK SM UA VA XK".split()
)


def is_long_haul(country_code):
    return bool(country_code) and str(country_code) not in EUROPE_COUNTRIES


class Diagnostic(models.Model):
    """The mobility diagnostic grid of one dossier, filled by a platform mobility counsellor.
    The sensitive items (diet, allergies, vaccinations, health, criminal record) live apart in
    ``SensitiveDiagnostic`` so that they are never loaded by accident."""

    history = HistoricalRecords()
    dossier = models.OneToOneField(Dossier, verbose_name="dossier", on_delete=models.CASCADE, related_name="diagnostic")
    conducted_on = models.DateField("date de l'entretien", default=timezone.localdate)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller mobilité", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    passport = models.CharField("pièce d'identité pour voyager", max_length=10, choices=PassportStatus.choices, blank=True)
    passport_valid_until = models.DateField("valide jusqu'au", null=True, blank=True)
    bank_card = models.BooleanField("carte bancaire", null=True, blank=True)
    unemployment_rights = models.CharField(
        "droits au chômage", max_length=10, choices=UnemploymentRights.choices, blank=True
    )
    housing = models.CharField("logement", max_length=20, choices=Housing.choices, blank=True)
    health_cover = models.CharField("couverture santé", max_length=20, choices=SocialSecurity.choices, blank=True)
    languages = models.CharField("langues étrangères", max_length=255, blank=True)
    language_level_self = models.CharField(
        "niveau (auto-évaluation)", max_length=6, choices=LanguageLevel.choices, blank=True
    )
    language_level_tested = models.CharField("niveau (testé)", max_length=6, choices=LanguageLevel.choices, blank=True)
    mobility_experience = models.BooleanField("expérience de mobilité antérieure", null=True, blank=True)
    mobility_experience_details = models.CharField("précisions sur l'expérience", max_length=255, blank=True)
    motivation = models.TextField("motivation", blank=True)
    professional_project = models.TextField("projet professionnel", blank=True)
    outcome = models.CharField("conclusion", max_length=12, choices=DiagnosticOutcome.choices, blank=True)
    orientation = models.CharField("orientation", max_length=20, choices=Orientation.choices, blank=True)
    orientation_details = models.CharField("précisions sur l'orientation", max_length=255, blank=True)
    come_back_on = models.DateField("date de retour envisagée", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "diagnostic de mobilité"
        verbose_name_plural = "diagnostics de mobilité"

    def __str__(self):
        return f"Diagnostic — {self.dossier}"


class SensitiveDiagnostic(models.Model):
    """Sensitive items of the diagnostic: only ``can_see_sensitive`` users read them, each read logged."""

    history = HistoricalRecords()
    diagnostic = models.OneToOneField(
        Diagnostic, verbose_name="diagnostic", on_delete=models.CASCADE, related_name="sensitive"
    )
    special_diet = models.CharField("régime alimentaire particulier", max_length=255, blank=True)
    allergies = models.CharField("allergies", max_length=255, blank=True)
    vaccinations = models.CharField("vaccinations", max_length=255, blank=True)
    health_notes = models.TextField("santé (traitement, suivi, points d'attention)", blank=True)
    criminal_record = models.CharField(
        "casier judiciaire", max_length=10, choices=CriminalRecord.choices, default=CriminalRecord.UNKNOWN
    )
    criminal_record_details = models.CharField("précisions (casier)", max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "éléments sensibles du diagnostic"
        verbose_name_plural = "éléments sensibles du diagnostic"

    def __str__(self):
        return f"Éléments sensibles — {self.diagnostic.dossier}"


class SensitiveAccess(models.Model):
    """The log of every read or change of the sensitive diagnostic items: who, when, which dossier."""

    READ = "lecture"
    WRITE = "modification"
    DOWNLOAD = "fichier"
    ACTIONS = [(READ, "Lecture"), (WRITE, "Modification"), (DOWNLOAD, "Téléchargement d'un fichier")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, verbose_name="dossier", on_delete=models.CASCADE, related_name="sensitive_accesses")
    action = models.CharField("action", max_length=12, choices=ACTIONS, default=READ)
    accessed_at = models.DateTimeField("le", default=timezone.now, db_index=True)
    # For a download: which file (its kind, never its content), e.g. "Pièce : Certificat médical".
    item = models.CharField("élément", max_length=255, blank=True)

    class Meta:
        verbose_name = "accès aux données sensibles"
        verbose_name_plural = "accès aux données sensibles"
        ordering = ["-accessed_at", "-id"]

    def __str__(self):
        return f"{self.user} — {self.get_action_display()} — dossier {self.dossier_id} — {self.accessed_at:%d/%m/%Y %H:%M}"


class MobilityProject(models.Model):
    """The mobility project: scheme, destination, sector, duration, planned period."""

    history = HistoricalRecords()
    dossier = models.OneToOneField(Dossier, verbose_name="dossier", on_delete=models.CASCADE, related_name="project")
    scheme = models.ForeignKey(
        "departures.Scheme", verbose_name="dispositif", null=True, blank=True, on_delete=models.PROTECT,
        related_name="projects",
    )
    country = CountryField("pays de destination", blank=True)
    town = models.CharField("ville", max_length=100, blank=True)
    sector = models.CharField("secteur d'activité", max_length=150, blank=True)
    duration_weeks = models.PositiveSmallIntegerField("durée (semaines)", null=True, blank=True)
    period_start = models.DateField("période prévue : du", null=True, blank=True)
    period_end = models.DateField("au", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "projet de mobilité"
        verbose_name_plural = "projets de mobilité"

    def __str__(self):
        return f"Projet — {self.dossier}"

    @property
    def long_haul(self):
        return is_long_haul(self.country)
