from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .enums import SETTLED, ImportStatus


class ImportJob(models.Model):
    """One legacy file uploaded from the import page: first checked (a dry run, whose summary and
    errors are kept here), then — when the manager confirms — imported. A Celery task does the work for
    large files and writes its progress here; the page polls it."""

    file = models.FileField("fichier", upload_to="imports/%Y/%m/")
    original_name = models.CharField("nom du fichier", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("état", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField("lignes", default=0)
    processed_rows = models.PositiveIntegerField("lignes traitées", default=0)
    errors = models.JSONField("erreurs", default=list, blank=True)
    summary = models.JSONField("résumé", default=dict, blank=True)
    message = models.TextField("message", blank=True)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    # When the job last changed state (the sweep fails a job left waiting or running too long), and
    # whether its task was handed to the broker (the sweep queues again a job the broker could not take).
    status_changed_at = models.DateTimeField("changement d'état le", default=timezone.now)
    queued = models.BooleanField("confié au worker", default=False)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de l'historique"
        verbose_name_plural = "imports de l'historique"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import {self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reporting:import_detail", args=[self.pk])

    @property
    def settled(self):
        return self.status in SETTLED

    @property
    def waiting_for_broker(self):
        """Recorded, but its task could not be handed to the worker yet (the sweep will)."""
        return self.status in (ImportStatus.PENDING, ImportStatus.QUEUED) and not self.queued and bool(self.file)

    @property
    def percent(self):
        if self.status in (ImportStatus.DONE, ImportStatus.CHECKED, ImportStatus.REFUSED):
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(self.processed_rows * 100 / self.total_rows))


class ExportSubscription(models.Model):
    """A manager's scheduled export (« Mes exports programmés »): which export, its filters, its format, how
    often and on which day. The daily beat task (``reporting.send_scheduled_exports``) mails the file through
    the outbox on that day and records the occurrence sent here: a second run (or a restart) the same day
    finds it already sent. See ``reporting/schedules.py``."""

    REPORT, ERASMUS, FUNDER_SET = "rapport", "erasmus", "financeurs"
    KINDS = [(REPORT, "Un rapport"), (ERASMUS, "Fichier Erasmus+ d'une convention"),
             (FUNDER_SET, "Les rapports des financeurs (tous, un fichier par rapport)")]
    MONTHLY, YEARLY = "mensuel", "annuel"
    FREQUENCIES = [(MONTHLY, "Chaque mois"), (YEARLY, "Chaque année")]
    CURRENT_YEAR, PREVIOUS_YEAR, ALL_YEARS = "annee_en_cours", "annee_precedente", "toutes"
    PERIODS = [(CURRENT_YEAR, "L'année en cours (jusqu'au jour de l'envoi)"), (PREVIOUS_YEAR, "L'année précédente"),
               (ALL_YEARS, "Toutes les années")]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="abonné", on_delete=models.CASCADE,
                              related_name="export_subscriptions")
    kind = models.CharField("export", max_length=12, choices=KINDS, default=REPORT)
    report = models.CharField("rapport", max_length=30, blank=True)
    agreement = models.ForeignKey("departures.FundingAgreement", verbose_name="convention Erasmus+", null=True,
                                  blank=True, on_delete=models.CASCADE, related_name="+")
    # The report's filters: {"scheme": id, "structure": id, "department", "funder", "host": id, "horizon"}.
    filters = models.JSONField("filtres", default=dict, blank=True)
    period = models.CharField("période couverte", max_length=20, choices=PERIODS, default=PREVIOUS_YEAR)
    # A key of reporting.renderers.FORMATS (csv, xlsx, pdf…); the form offers those of the export.
    fmt = models.CharField("format", max_length=12, default="xlsx")
    frequency = models.CharField("fréquence", max_length=8, choices=FREQUENCIES, default=MONTHLY)
    day = models.PositiveSmallIntegerField("jour du mois", default=1)
    month = models.PositiveSmallIntegerField("mois (envoi annuel)", default=1)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    # The last occurrence sent (the scheduled day it stood for) and when it was queued.
    last_occurrence = models.DateField("dernier envoi prévu traité", null=True, blank=True)
    last_sent_at = models.DateTimeField("dernier envoi le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "export programmé"
        verbose_name_plural = "exports programmés"
        ordering = ["owner", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(day__gte=1, day__lte=28), name="exportsubscription_day_1_28"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="exportsubscription_month"),
        ]

    def __str__(self):
        return f"Export programmé n° {self.pk} ({self.get_frequency_display().lower()}, le {self.day})"

    def get_absolute_url(self):
        return reverse("reporting:schedule_edit", args=[self.pk])


class PopulationFigure(models.Model):
    """The number of young people aged 16 to 25 living in a department in a year, as entered by a
    manager with its source (INSEE census…): the denominator of the territorial equity report."""

    department = models.CharField("département", max_length=3)
    year = models.PositiveSmallIntegerField("année")
    population = models.PositiveIntegerField("population des 16-25 ans")
    source = models.CharField("source", max_length=255)

    class Meta:
        verbose_name = "population des 16-25 ans"
        verbose_name_plural = "populations des 16-25 ans"
        ordering = ["department", "-year"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="population_department_year")]

    def __str__(self):
        return f"{self.department} — {self.year} : {self.population}"
