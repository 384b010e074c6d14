from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ipm.phones import PhoneField
from ipm.uploads import upload_path, validate_upload

from .identifiers import validate_grant_agreement_number, validate_oid

from .enums import (
    ActionType,
    ActivityType,
    ContractVariant,
    EuropassStatus,
    Funder,
    IncidentKind,
    ParticipantCategory,
    PaymentMeans,
    ReminderCadence,
    SchemeFormat,
    VisitAssessment,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class Scheme(models.Model):
    """A mobility programme (dispositif). Data that managers maintain, not code."""

    name = models.CharField("nom", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    typical_duration_weeks = models.PositiveSmallIntegerField("durée habituelle (semaines)", null=True, blank=True)
    format = models.CharField("format", max_length=12, choices=SchemeFormat.choices, default=SchemeFormat.INDIVIDUAL)
    europass_cadence = models.CharField(
        "rappels Europass", max_length=12, choices=ReminderCadence.choices, default=ReminderCadence.WEEKLY
    )
    contract_variant = models.CharField(
        "modèle de contrat", max_length=12, choices=ContractVariant.choices, default=ContractVariant.STANDARD,
        help_text="Ajoute au contrat d'engagement les clauses propres à ce type de séjour.",
    )
    default_copayment = models.DecimalField(
        "participation habituelle du jeune (€)", **MONEY, default=Decimal("300.00"),
        validators=[MinValueValidator(0)],
    )
    early_return_tolerance_days = models.PositiveSmallIntegerField(
        "tolérance de retour anticipé (jours)", default=7,
        help_text="Un retour plus tôt que la fin prévue du séjour de plus de ce nombre de jours est une "
                  "interruption : il s'enregistre comme « Retour anticipé », avec son motif.",
    )
    activity_type = models.CharField(
        "type d'activité Erasmus+", max_length=16, choices=ActivityType.choices, blank=True,
        help_text="Le type d'activité déclaré au Beneficiary Module pour les départs de ce dispositif.",
    )
    participant_category = models.CharField(
        "catégorie de participant Erasmus+", max_length=16, choices=ParticipantCategory.choices, blank=True,
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "dispositif"
        verbose_name_plural = "dispositifs"
        ordering = ["name"]

    def __str__(self):
        return self.name


class FundingAgreement(models.Model):
    """A convention de financement: a funder grants a number of places on a scheme for a year."""

    funder = models.CharField("financeur", max_length=12, choices=Funder.choices)
    funder_name = models.CharField(
        "nom du financeur", max_length=150, blank=True,
        help_text="Obligatoire pour une entreprise ou un autre financeur ; facultatif sinon.",
    )
    year = models.PositiveSmallIntegerField("année", db_index=True)
    scheme = models.ForeignKey(Scheme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="funding_agreements")
    places = models.PositiveIntegerField("nombre de places")
    amount = models.DecimalField("montant total (€)", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    amount_per_participant = models.DecimalField(
        "montant par participant (€)", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    reference = models.CharField("référence de la convention", max_length=100, blank=True)
    call_year = models.PositiveSmallIntegerField("année de l'appel", null=True, blank=True)
    action_type = models.CharField("action", max_length=12, choices=ActionType.choices, blank=True)
    grant_agreement_number = models.CharField(
        "numéro de convention Erasmus+", max_length=40, blank=True, validators=[validate_grant_agreement_number],
        help_text="Le numéro du projet au Beneficiary Module, par exemple 2025-1-FR01-KA122-VET-000123456.",
    )
    start_date = models.DateField("début de la période de la convention", null=True, blank=True)
    end_date = models.DateField("fin de la période de la convention", null=True, blank=True)
    notes = models.TextField("remarques", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "convention de financement"
        verbose_name_plural = "conventions de financement"
        ordering = ["-year", "scheme__name", "funder"]
        constraints = [
            models.UniqueConstraint(fields=["grant_agreement_number"], condition=~models.Q(grant_agreement_number=""),
                                    name="funding_unique_grant_agreement_number"),
        ]

    def __str__(self):
        return f"{self.funder_label} — {self.scheme} {self.year} ({self.places} places)"

    @property
    def funder_label(self):
        return self.funder_name or self.get_funder_display()


class QuotaOverrun(models.Model):
    """A dossier accepted although its scheme had no place left that year: who confirmed, and when."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="quota_overruns")
    scheme = models.ForeignKey(Scheme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="quota_overruns")
    year = models.PositiveSmallIntegerField("année")
    places_granted = models.PositiveIntegerField("places accordées")
    places_used = models.PositiveIntegerField("places déjà utilisées")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="confirmé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("confirmé le", default=timezone.now)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "dépassement de quota"
        verbose_name_plural = "dépassements de quota"
        ordering = ["-confirmed_at"]

    def __str__(self):
        return f"Dépassement {self.scheme} {self.year} — dossier {self.dossier_id}"


class HostOrganisation(models.Model):
    """An organisation abroad that hosts young people (employer, association, school)."""

    name = models.CharField("nom", max_length=200)
    country = CountryField("pays")
    town = models.CharField("ville", max_length=100)
    oid = models.CharField(
        "OID Erasmus+", max_length=9, blank=True, validators=[validate_oid],
        help_text="L'identifiant d'organisation Erasmus+ : E suivi de huit chiffres (E10123456).",
    )
    sector = models.CharField("secteur d'activité", max_length=150, blank=True)
    contact_name = models.CharField("contact", max_length=150, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_phone = PhoneField("téléphone du contact", blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    notes = models.TextField("remarques", blank=True)
    active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "structure d'accueil"
        verbose_name_plural = "structures d'accueil"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country", "town"], name="host_unique_name_place"),
            models.UniqueConstraint(fields=["oid"], condition=~models.Q(oid=""), name="host_unique_oid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"

    def get_absolute_url(self):
        return reverse("departures:host_detail", args=[self.pk])


class Contract(models.Model):
    """One generated version of a dossier's contrat d'engagement. Regenerating adds a version; earlier
    versions are kept. The signature is recorded on the version that was signed."""

    history = HistoricalRecords()
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="contracts")
    version = models.PositiveSmallIntegerField("version")
    pdf = models.FileField("contrat (PDF)", upload_to=upload_path("contrats"))
    copayment_amount = models.DecimalField("participation indiquée (€)", **MONEY, default=Decimal("0"))
    generated_at = models.DateTimeField("généré le", default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="généré par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    signed_scan = models.FileField("copie signée", upload_to=upload_path("contrats-signes"), blank=True,
                                   validators=[validate_upload])
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="signature enregistrée par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = "contrat d'engagement"
        verbose_name_plural = "contrats d'engagement"
        ordering = ["dossier", "-version"]
        constraints = [models.UniqueConstraint(fields=["dossier", "version"], name="contract_unique_version")]

    def __str__(self):
        return f"Contrat v{self.version} — {self.dossier}"

    @property
    def is_signed(self):
        return self.signed_on is not None


class CoPayment(models.Model):
    """What the young person is asked to contribute. It never blocks a departure, but it shows."""

    history = HistoricalRecords()
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="copayment")
    amount_due = models.DecimalField("montant demandé (€)", **MONEY, validators=[MinValueValidator(0)])
    waived = models.BooleanField("dispense", default=False)
    waiver_reason = models.TextField("motif de la dispense", blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="dispense accordée par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    waived_at = models.DateTimeField("dispense accordée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "participation financière"
        verbose_name_plural = "participations financières"

    def __str__(self):
        return f"Participation — {self.dossier}"

    @property
    def paid(self):
        if "payments" in getattr(self, "_prefetched_objects_cache", {}):  # lists prefetch the payments
            return sum((p.amount for p in self.payments.all()), Decimal("0"))
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    @property
    def balance(self):
        """What is still to be paid (never negative; zero when waived)."""
        if self.waived:
            return Decimal("0")
        return max(self.amount_due - self.paid, Decimal("0"))

    @property
    def settled(self):
        return self.balance == 0


class Payment(models.Model):
    history = HistoricalRecords()
    copayment = models.ForeignKey(CoPayment, verbose_name="participation", on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField("date du paiement")
    amount = models.DecimalField("montant (€)", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    means = models.CharField("moyen de paiement", max_length=10, choices=PaymentMeans.choices)
    notes = models.CharField("remarque", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistré par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "paiement"
        verbose_name_plural = "paiements"
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.amount} € le {self.paid_on:%d/%m/%Y}"


class Stay(models.Model):
    """The stay abroad of one dossier: planned and actual dates, where, and how it ended."""

    history = HistoricalRecords()
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="stay")
    scheme = models.ForeignKey(Scheme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="stays")
    host = models.ForeignKey(
        HostOrganisation, verbose_name="structure d'accueil", null=True, blank=True, on_delete=models.PROTECT,
        related_name="stays",
    )
    country = CountryField("pays", blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    host_country_reason = models.TextField(
        "Structure d'accueil dans un autre pays : précisez pourquoi", blank=True,
        help_text="Obligatoire quand la structure d'accueil n'est pas dans le pays du séjour.",
    )
    planned_start = models.DateField("départ prévu", null=True, blank=True)
    planned_end = models.DateField("retour prévu", null=True, blank=True)
    departure_date = models.DateField("date de départ", null=True, blank=True, db_index=True)
    return_date = models.DateField("date de retour", null=True, blank=True, db_index=True)
    interrupted = models.BooleanField("séjour interrompu", default=False)
    interruption_reason = models.TextField("motif de l'interruption", blank=True)
    accommodation = models.TextField("hébergement", blank=True)
    travel = models.TextField("voyage (transport, horaires)", blank=True)
    # Erasmus+
    funding_agreement = models.ForeignKey(
        FundingAgreement, verbose_name="convention de financement", null=True, blank=True,
        on_delete=models.PROTECT, related_name="stays",
        help_text="Vide : la convention Erasmus+ du dispositif et de l'année, quand il n'y en a qu'une.",
    )
    mobility_activity_id = models.CharField("identifiant de la mobilité (Erasmus+)", max_length=30, unique=True,
                                            null=True, blank=True, editable=False)
    mobility_id_exported_at = models.DateTimeField("identifiant exporté le", null=True, blank=True, editable=False)
    green_travel = models.BooleanField("voyage écoresponsable (train, bus, covoiturage)", default=False)
    distance_km_override = models.PositiveIntegerField(
        "distance (km), saisie manuelle", null=True, blank=True,
        help_text="À remplir seulement si la ville n'est pas trouvée ou si le calculateur de la Commission "
                  "donne une autre distance.",
    )
    # Europass
    europass_mobility_issued = models.BooleanField("Europass Mobilité délivré", null=True, blank=True)
    europass_status = models.CharField(
        "Europass du jeune", max_length=15, choices=EuropassStatus.choices, default=EuropassStatus.NOT_STARTED
    )
    # Return review (bilan de retour)
    review_date = models.DateField("bilan de retour fait le", null=True, blank=True)
    review_notes = models.TextField("bilan de retour", blank=True)
    review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="bilan fait par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    activity_report = models.FileField("rapport d'activité", upload_to=upload_path("rapports-activite"), blank=True,
                                       validators=[validate_upload])
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

    @property
    def destination(self):
        parts = [self.city, self.country.name if self.country else ""]
        return ", ".join(p for p in parts if p)


class SiteVisit(models.Model):
    """The platform counsellor's visit during the stay (in-situ review with the employer)."""

    history = HistoricalRecords()
    stay = models.ForeignKey(Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="visits")
    visit_date = models.DateField("date de la visite")
    met_employer = models.BooleanField("employeur / tuteur rencontré", default=False)
    assessment = models.CharField("appréciation", max_length=15, choices=VisitAssessment.choices)
    notes = models.TextField("notes")
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="visite faite par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "visite in situ"
        verbose_name_plural = "visites in situ"
        ordering = ["-visit_date", "-id"]

    def __str__(self):
        return f"Visite du {self.visit_date:%d/%m/%Y}"


class Incident(models.Model):
    """One line of the incident log of a stay."""

    history = HistoricalRecords()
    stay = models.ForeignKey(Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField("date")
    kind = models.CharField("nature", max_length=15, choices=IncidentKind.choices)
    description = models.TextField("description")
    action_taken = models.TextField("suite donnée", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistré par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "incident"
        verbose_name_plural = "incidents"
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"Incident du {self.occurred_on:%d/%m/%Y} ({self.get_kind_display()})"


from .erasmus_models import GrantPayment, Platform, UnitCost  # noqa: E402,F401  (registered with the app)
