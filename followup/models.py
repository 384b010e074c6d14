from django.conf import settings
from django.db import models

from .enums import Situation


class FollowUpCall(models.Model):
    """One of the six monthly contacts after return (month 1 to 6). The month-6 contact's situation is
    the dossier's outcome six months after return."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="followup_calls")
    month = models.PositiveSmallIntegerField("mois")
    due_date = models.DateField("échéance", db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="followup_calls",
    )
    done_at = models.DateTimeField("réalisé le", null=True, blank=True)
    reached = models.BooleanField("jeune joint", null=True, blank=True)
    situation = models.CharField("situation", max_length=30, choices=Situation.choices, blank=True)
    employer = models.CharField("employeur ou organisme de formation", max_length=200, blank=True)
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "suivi mensuel"
        verbose_name_plural = "suivis mensuels"
        ordering = ["dossier", "month"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "month"], name="followup_one_call_per_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=6), name="followup_month_1_to_6"),
        ]

    def __str__(self):
        return f"Suivi mois {self.month} — {self.dossier}"
