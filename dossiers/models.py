from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ipm.access import ScopedQuerySet, has_capability
from ipm.text import fold, person_key
from ipm.uploads import upload_path, validate_upload

from .enums import (
    CommissionStatus,
    CriminalRecord,
    Decision,
    DiagnosticOutcome,
    DocumentStatus,
    EmploymentStatus,
    Housing,
    LanguageLevel,
    Orientation,
    PassportStatus,
    QualificationLevel,
    Sex,
    SocialSecurity,
    UnemploymentRights,
)
from .workflow import State


class YouthQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Platform roles and managers: every young person; a counsellor: those with a dossier of their
        structure."""
        if user.is_authenticated and user.is_active and (user.is_superuser or has_capability(user, "read_all")):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Dossier.objects.visible_to(user).values("youth")).distinct()


class DossierQuerySet(ScopedQuerySet):
    structure_field = "structure"


class Youth(models.Model):
    """One young person. One person may go round the wheel several times (several dossiers)."""

    objects = YouthQuerySet.as_manager()
    history = HistoricalRecords()
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    nationality = CountryField("nationalité", blank=True, default="FR")
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    town = models.CharField("commune", max_length=100, blank=True)
    qpv = models.BooleanField("habite en QPV", null=True, blank=True)
    zrr = models.BooleanField("habite en ZRR", null=True, blank=True)
    qualification_level = models.CharField(
        "niveau de qualification", max_length=4, choices=QualificationLevel.choices, blank=True
    )
    employment_status = models.CharField(
        "situation", max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    # Folded "name|first name|birth date": finds a returning young person whatever the case or accents.
    match_key = models.CharField(max_length=255, unique=True, editable=False)
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "jeune"
        verbose_name_plural = "jeunes"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.match_key = person_key(self.last_name, self.first_name, self.birth_date)
        self.search_name = f"{fold(self.last_name)} {fold(self.first_name)}"
        super().save(*args, **kwargs)

    @property
    def department(self):
        if not self.postcode:
            return ""
        return self.postcode[:3] if self.postcode.startswith("97") else self.postcode[:2]

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Dossier(models.Model):
    """One pass of one young person round the wheel: the central record."""

    objects = DossierQuerySet.as_manager()
    history = HistoricalRecords()
    youth = models.ForeignKey(Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="dossiers")
    structure = models.ForeignKey(
        "referrals.Structure", verbose_name="structure prescriptrice", on_delete=models.PROTECT,
        related_name="dossiers",
    )
    referring_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller prescripteur", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="referred_dossiers",
    )
    platform_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller mobilité", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="followed_dossiers",
    )
    state = models.CharField("étape", max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True)
    state_changed_at = models.DateTimeField("étape depuis le", default=timezone.now)
    received_on = models.DateField("fiche reçue le", default=timezone.localdate, db_index=True)
    scheme = models.ForeignKey(
        "departures.Scheme", verbose_name="dispositif", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Legacy import: the old system's reference, and the mark that the dossier came from it.
    imported = models.BooleanField("importé", default=False)
    legacy_reference = models.CharField("référence d'origine", max_length=50, null=True, blank=True, unique=True)
    # Optimistic locking: bumped by every edit form save, checked against the value the form was shown with.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["structure", "state"]),
            models.Index(fields=["state", "received_on"]),
        ]

    def __str__(self):
        return f"Dossier n° {self.pk} — {self.youth}"

    def get_absolute_url(self):
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def state_label(self):
        return State(self.state).label


class DossierEvent(models.Model):
    """One line of a dossier's timeline: who moved it from which state to which, when, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField("de", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("vers", max_length=20, choices=State.choices)
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "événement du dossier"
        verbose_name_plural = "événements du dossier"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_state or '∅'} → {self.to_state}"


# --- Diagnostic and mobility project ------------------------------------------------------------------

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


# --- Application file ---------------------------------------------------------------------------------


class DocumentType(models.Model):
    """One piece of the application checklist. With no scheme it belongs to the default checklist
    (every dossier); with a scheme it is added for that scheme's dossiers."""

    scheme = models.ForeignKey(
        "departures.Scheme", verbose_name="dispositif", null=True, blank=True, on_delete=models.CASCADE,
        related_name="document_types", help_text="Vide : pièce demandée pour tous les dispositifs.",
    )
    name = models.CharField("pièce", max_length=150)
    description = models.CharField("précisions", max_length=255, blank=True)
    required = models.BooleanField("obligatoire", default=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "pièce du dossier (liste)"
        verbose_name_plural = "pièces du dossier (liste)"
        ordering = ["order", "name"]
        constraints = [
            # One name per checklist, whatever its case, the default checklist (no scheme) included: a
            # plain (scheme, name) constraint lets two default pieces share a name (NULLs are distinct).
            models.UniqueConstraint(
                Coalesce("scheme", Value(0)), Lower("name"), name="document_type_unique_name_per_checklist",
                violation_error_message="Cette pièce est déjà demandée dans cette liste.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.scheme or 'tous dispositifs'})"


class Document(models.Model):
    """One uploaded piece of a dossier's application file, with its review status."""

    history = HistoricalRecords()
    dossier = models.ForeignKey(Dossier, verbose_name="dossier", on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, verbose_name="pièce", on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField("statut", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED)
    file = models.FileField("fichier", upload_to=upload_path("dossiers"), validators=[validate_upload], max_length=255)
    original_name = models.CharField("nom d'origine", max_length=255, blank=True)
    size = models.PositiveIntegerField("taille", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vérifié par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("vérifié le", null=True, blank=True)
    rejection_reason = models.CharField("motif du refus", max_length=255, blank=True)

    class Meta:
        verbose_name = "pièce déposée"
        verbose_name_plural = "pièces déposées"
        ordering = ["document_type__order", "document_type__name"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "document_type"], name="document_unique_per_dossier_type"),
        ]

    def __str__(self):
        return f"{self.document_type.name} — {self.dossier}"

    def get_absolute_url(self):
        return reverse("dossiers:document_download", args=[self.dossier_id, self.pk])


# --- Commission ---------------------------------------------------------------------------------------


class CommissionSession(models.Model):
    """A commission session: date, members, agenda of dossiers, decisions, minutes."""

    history = HistoricalRecords()
    date = models.DateField("date", db_index=True)
    time = models.TimeField("heure", null=True, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="membres (plateforme)", blank=True, related_name="commission_sessions"
    )
    external_members = models.TextField(
        "autres membres", blank=True, help_text="Une personne par ligne (nom, fonction, organisme)."
    )
    status = models.CharField("statut", max_length=10, choices=CommissionStatus.choices, default=CommissionStatus.PLANNED)
    notes = models.TextField("observations générales", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "commission"
        verbose_name_plural = "commissions"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"Commission du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("dossiers:commission_detail", args=[self.pk])

    @property
    def external_member_list(self):
        return [line.strip() for line in self.external_members.splitlines() if line.strip()]


class CommissionCriterion(models.Model):
    """One criterion of the evaluation grid (data: managers may change the grid)."""

    name = models.CharField("critère", max_length=150, unique=True)
    description = models.CharField("description", max_length=255, blank=True)
    max_score = models.PositiveSmallIntegerField("note maximale", default=5)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "critère de la grille de commission"
        verbose_name_plural = "critères de la grille de commission"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CommissionReview(models.Model):
    """One dossier on one session's agenda: its evaluation and the decision."""

    history = HistoricalRecords()
    session = models.ForeignKey(CommissionSession, verbose_name="commission", on_delete=models.CASCADE, related_name="reviews")
    dossier = models.ForeignKey(Dossier, verbose_name="dossier", on_delete=models.PROTECT, related_name="commission_reviews")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="inscrit par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("inscrit le", default=timezone.now)
    incomplete_override = models.BooleanField("inscrit avec un dossier incomplet", default=False)
    override_reason = models.CharField("motif de l'inscription malgré les pièces manquantes", max_length=255, blank=True)
    decision = models.CharField("décision", max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField("motivation de la décision", blank=True)
    orientation = models.CharField("orientation", max_length=20, choices=Orientation.choices, blank=True)
    orientation_details = models.CharField("précisions sur l'orientation", max_length=255, blank=True)
    postponed_to = models.ForeignKey(
        CommissionSession, verbose_name="reporté à la commission", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="décision saisie par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField("décision le", null=True, blank=True)

    class Meta:
        verbose_name = "dossier examiné en commission"
        verbose_name_plural = "dossiers examinés en commission"
        ordering = ["session__date", "dossier__youth__last_name"]
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="review_unique_per_session")]

    def __str__(self):
        return f"{self.dossier} — {self.session}"

    @property
    def total_score(self):
        scores = [s.score for s in self.scores.all() if s.score is not None]
        return sum(scores) if scores else None


class CommissionScore(models.Model):
    review = models.ForeignKey(CommissionReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CommissionCriterion, verbose_name="critère", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("note", null=True, blank=True)
    comment = models.CharField("commentaire", max_length=255, blank=True)

    class Meta:
        verbose_name = "note de la grille"
        verbose_name_plural = "notes de la grille"
        ordering = ["criterion__order", "criterion__name"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_per_criterion")]
