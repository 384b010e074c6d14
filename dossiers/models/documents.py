"""The application file: the checklist of pieces asked and the pieces uploaded."""
from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ipm.uploads import upload_path, validate_upload

from ..enums import DocumentStatus
from .dossier import Dossier


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
    # How long an uploaded and validated piece stays valid for a later dossier of the same young person
    # (``dossiers.carry_over``). Empty: never carried over (asked again each time).
    validity_months = models.PositiveSmallIntegerField(
        "validité (mois)", null=True, blank=True,
        help_text="Durée pendant laquelle une pièce validée est reprise dans un nouveau dossier du même jeune. "
                  "Vide : jamais reprise.",
    )

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
    # A piece still valid taken over from an earlier dossier of the same young person (a copy of its file).
    carried_over_from = models.ForeignKey(
        "self", verbose_name="reprise de", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

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
