"""Commission sessions, the evaluation grid, and each dossier's review and decision."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..enums import CommissionStatus, Decision, Orientation
from .dossier import Dossier


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
