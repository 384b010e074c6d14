from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .enums import (CallSource, Channel, ContactChoice, DeliveryStatus, MessageKind, MessageStatus, OptOutSource, Situation,
                    is_positive)


def max_attempts():
    """Unanswered attempts after which a young person is flagged unreachable."""
    return settings.IPM_FOLLOWUP_MAX_ATTEMPTS


class FollowUpCall(models.Model):
    """One of the six monthly contacts after return (month 1 to 6). The month-6 contact's situation is
    the dossier's outcome six months after return.

    Created by the daily task when it falls due (``calls.create_due_calls``), never ahead of time;
    the unique constraint (dossier, month) makes that creation idempotent."""

    history = HistoricalRecords()
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="followup_calls")
    month = models.PositiveSmallIntegerField("mois")
    due_date = models.DateField("échéance", db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="followup_calls",
    )
    done_at = models.DateTimeField("réalisé le", null=True, blank=True, db_index=True)
    reached = models.BooleanField("jeune joint", null=True, blank=True)
    situation = models.CharField("situation", max_length=30, choices=Situation.choices, blank=True)
    employer = models.CharField("employeur ou organisme de formation", max_length=200, blank=True)
    notes = models.TextField("notes", blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives d'appel", default=0)
    last_attempt_at = models.DateTimeField("dernière tentative le", null=True, blank=True)
    source = models.CharField("origine de la réponse", max_length=12, choices=CallSource.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="saisi par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
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

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()

    @property
    def not_made(self):
        """Closed without any call nor answer: « non réalisé », not a contact (never « non joint »)."""
        return self.reached is None and self.source == CallSource.CLOSING

    @property
    def contact_label(self):
        """What the month's contact was, as the pages show it."""
        if self.reached:
            return self.get_situation_display() or "joint"
        if self.not_made:
            return "non réalisé"
        return "non joint" if self.is_done else "à faire"

    @property
    def unreachable(self):
        """Flagged: still not reached after the configured number of attempts."""
        return not self.reached and self.attempts >= max_attempts()

    @property
    def positive(self):
        return bool(self.reached) and is_positive(self.situation)


class SentMessage(models.Model):
    """The outbox: a record of every message (email or SMS) the application sends, one row per kind,
    channel, object and period. The row is inserted first, under the unique constraint, and only who
    inserted it hands it to the worker; the worker claims it before sending and marks it sent right
    after, so nothing is sent twice (``followup.outbox``). Failed sends are retried with backoff; a
    final failure stays visible to staff (page « Messages »)."""

    kind = models.CharField("type", max_length=20, choices=MessageKind.choices)
    channel = models.CharField("canal", max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # What the message is about, e.g. "call:12", "stay:4", "user:3", "invitation:9".
    object_key = models.CharField("objet", max_length=60)
    # The period it covers: a day (2026-11-23), an ISO week (2026-S48), or empty for "once".
    period = models.CharField("période", max_length=20, blank=True, default="")
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", null=True, blank=True, on_delete=models.CASCADE,
        related_name="sent_messages",
    )
    # One address or phone number; several email addresses are separated by ", ".
    recipient = models.CharField("destinataire", max_length=1000)
    cc = models.CharField("copie à", max_length=1000, blank=True)
    subject = models.CharField("objet du message", max_length=255, blank=True)
    body = models.TextField("texte")
    # The HTML alternative of an email (the text above stays the plain-text part); empty for an SMS.
    html_body = models.TextField("texte HTML", blank=True)
    # Files attached to an email: [{"name", "content" (text), "mimetype"}], e.g. a meeting's .ics; a binary
    # file (a scheduled export's XLSX or PDF) has its content in base64 and "base64": true.
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    status = models.CharField("statut", max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField("tentatives d'envoi", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    # Set when a worker claims the message to send it: no other delivery sends it before that moment.
    sending_until = models.DateTimeField("envoi en cours jusqu'à", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # An SMS taken by the provider: its message id, and what its delivery reports said (webhook).
    provider_id = models.CharField("identifiant chez le fournisseur", max_length=64, blank=True, db_index=True)
    delivery_status = models.CharField("distribution", max_length=8, choices=DeliveryStatus.choices, blank=True)
    delivery_status_at = models.DateTimeField("distribution constatée le", null=True, blank=True)
    delivery_detail = models.CharField("détail de la distribution", max_length=255, blank=True)

    class Meta:
        verbose_name = "message envoyé"
        verbose_name_plural = "messages envoyés"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "object_key", "period"], name="sentmessage_once_per_period"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_channel_display()}) → {self.recipient}"


class ContactPreference(models.Model):
    """How the young person wants to be told of each step: email, SMS or both. Without a row, the
    default applies (``followup.contact.default_choice``: email if they have one, else SMS)."""

    youth = models.OneToOneField("dossiers.Youth", verbose_name="jeune", on_delete=models.CASCADE,
                                 related_name="contact_preference")
    channel = models.CharField("être prévenu(e)", max_length=10, choices=ContactChoice.choices)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "préférence de contact"
        verbose_name_plural = "préférences de contact"

    def __str__(self):
        return f"{self.youth} : {self.get_channel_display().lower()}"


class CopyOptOut(models.Model):
    """A referring counsellor does not want the copy of one kind of message (« Mes notifications »)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="conseiller", on_delete=models.CASCADE,
                             related_name="copy_opt_outs")
    kind = models.CharField("type de message", max_length=20, choices=MessageKind.choices)

    class Meta:
        verbose_name = "copie refusée"
        verbose_name_plural = "copies refusées"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="copyoptout_once_per_kind")]

    def __str__(self):
        return f"{self.user} : pas de copie « {self.get_kind_display()} »"


class SmsOptOut(models.Model):
    """A phone number (E.164) that asked for no more SMS — « STOP » in reply, or the provider's
    unsubscribe report. The outbox sends no SMS to it (``followup.optout.refusal``); the young person's
    consent given again in their space lifts it."""

    phone = models.CharField("numéro", max_length=32, unique=True)
    source = models.CharField("origine", max_length=16, choices=OptOutSource.choices)
    text = models.CharField("message reçu", max_length=160, blank=True)
    created_at = models.DateTimeField("reçu le", default=timezone.now)

    class Meta:
        verbose_name = "refus des SMS"
        verbose_name_plural = "refus des SMS"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.phone} : plus de SMS depuis le {timezone.localtime(self.created_at):%d/%m/%Y}"
