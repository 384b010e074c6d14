"""The young person's own space: their account (signed in by a link, no password), their answers to
meeting invitations and their online acceptance of a contract version. The rows of the wheel
(invitations, contracts, pieces) stay in their own apps; the space only adds the young person's word."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from ipm.uploads import upload_path


class YouthAccount(models.Model):
    """The sign-in of one young person: a ``User`` of role « Jeune », with no usable password (they sign
    in by a link sent to the email or phone on file), tied to exactly one ``Youth``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="compte", on_delete=models.CASCADE, related_name="youth_account"
    )
    youth = models.OneToOneField("dossiers.Youth", verbose_name="jeune", on_delete=models.CASCADE,
                                 related_name="account")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_link_sent_at = models.DateTimeField("dernier lien envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "compte du jeune"
        verbose_name_plural = "comptes des jeunes"

    def __str__(self):
        return f"Espace de {self.youth}"


class Answer(models.TextChoices):
    CONFIRMED = "confirme", "Je viendrai"
    DECLINED = "decline", "Je ne pourrai pas venir"


class InvitationAnswer(models.Model):
    """The young person's answer to one meeting invitation (staff still record who came)."""

    invitation = models.OneToOneField("referrals.Invitation", verbose_name="invitation", on_delete=models.CASCADE,
                                      related_name="youth_answer")
    answer = models.CharField("réponse", max_length=10, choices=Answer.choices)
    reason = models.CharField("motif", max_length=255, blank=True)
    answered_at = models.DateTimeField("répondu le", default=timezone.now)

    class Meta:
        verbose_name = "réponse à une invitation"
        verbose_name_plural = "réponses aux invitations"

    def __str__(self):
        return f"{self.get_answer_display()} — {self.invitation}"

    @property
    def confirmed(self):
        return self.answer == Answer.CONFIRMED


class ContractAcceptance(models.Model):
    """A simple electronic signature: the young person ticked « J'ai lu le contrat version N et je
    l'accepte » for that version, recorded with the time, their IP address and their browser. A new
    version of the contract is a new ``Contract`` row, so it needs an acceptance of its own."""

    contract = models.OneToOneField("departures.Contract", verbose_name="contrat", on_delete=models.CASCADE,
                                    related_name="online_acceptance")
    version = models.PositiveSmallIntegerField("version acceptée")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="accepté par", null=True,
                             on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField("accepté le", default=timezone.now)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=500, blank=True)
    text = models.CharField("texte accepté", max_length=255)
    # The contract with an acceptance page appended (space/acceptance_pdf.py).
    pdf = models.FileField("contrat accepté (PDF)", upload_to=upload_path("contrats-acceptes"), blank=True)

    class Meta:
        verbose_name = "acceptation en ligne du contrat"
        verbose_name_plural = "acceptations en ligne des contrats"
        ordering = ["-accepted_at"]

    def __str__(self):
        return f"Contrat v{self.version} accepté le {timezone.localtime(self.accepted_at):%d/%m/%Y %H:%M}"

    @property
    def dossier_id(self):
        """The dossier of the contract: the audit log records each download of the copy under it."""
        return self.contract.dossier_id


class RectificationStatus(models.TextChoices):
    OPEN = "a_traiter", "Envoyée, à traiter"
    HANDLED = "traitee", "Traitée"


class RectificationRequest(models.Model):
    """The young person asks that something held about them be corrected (RGPD, article 16): what is
    wrong and what it should be. Staff see it in a work list and mark it handled, with a note the young
    person reads."""

    youth = models.ForeignKey("dossiers.Youth", verbose_name="jeune", on_delete=models.CASCADE,
                              related_name="rectification_requests")
    wrong = models.TextField("ce qui est inexact", max_length=2000)
    correct = models.TextField("ce qu'il faudrait écrire", max_length=2000)
    created_at = models.DateTimeField("envoyée le", default=timezone.now, db_index=True)
    status = models.CharField("statut", max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN, db_index=True)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="traitée par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("réponse de l'équipe", blank=True, max_length=2000)

    class Meta:
        verbose_name = "demande de rectification"
        verbose_name_plural = "demandes de rectification"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Demande de rectification de {self.youth} du {timezone.localtime(self.created_at):%d/%m/%Y}"

    @property
    def handled(self):
        return self.status == RectificationStatus.HANDLED
