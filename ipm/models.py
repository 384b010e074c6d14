from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .enums import ALL_STRUCTURES_ROLES, MOBILITY_ROLES, PLATFORM_ROLES, Role
from .phones import PhoneField


class User(AbstractUser):
    """A person who logs in. Counsellors belong to one structure; platform roles see all."""

    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.COUNSELLOR)
    structure = models.ForeignKey(
        "referrals.Structure",
        verbose_name="structure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Obligatoire pour un conseiller mission locale.",
    )
    phone = PhoneField("téléphone", blank=True)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role == Role.COUNSELLOR and not self.structure_id:
            raise ValidationError({"structure": "Un conseiller mission locale doit être rattaché à une structure."})

    @property
    def is_counsellor(self):
        return self.role == Role.COUNSELLOR

    @property
    def is_platform(self):
        return self.role in PLATFORM_ROLES or self.is_superuser

    @property
    def is_mobility(self):
        return self.role in MOBILITY_ROLES or self.is_superuser

    @property
    def is_manager(self):
        return self.role == Role.MANAGER

    @property
    def sees_all_structures(self):
        return self.role in ALL_STRUCTURES_ROLES or self.is_superuser


class FormSubmission(models.Model):
    """One sent form that creates something (fiche, meeting, commission, payment, visit…): its one-time
    token, inserted under the unique constraint in the same transaction as the creation. A form sent
    twice (double click, « renvoyer » after a slow answer) finds its token taken and creates nothing."""

    token = models.UUIDField("jeton", unique=True)
    user = models.ForeignKey(
        "ipm.User", verbose_name="utilisateur", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_url = models.CharField("page de l'élément créé", max_length=255, blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "formulaire envoyé"
        verbose_name_plural = "formulaires envoyés"

    def __str__(self):
        return f"{self.token} ({self.created_at:%d/%m/%Y %H:%M})"


class AccountEvent(models.Model):
    """What happened to an account's second factor, for the audit journal (« Journal », privacy/audit.py):
    an administrator's reset, backup codes regenerated or used. Who acted, whose account, when; the names
    are kept as text too, so that the line outlives a deleted account."""

    RESET_2FA = "2fa_reinit"
    CODES_REGENERATED = "2fa_codes"
    CODE_USED = "2fa_secours"
    ACTIONS = [
        (RESET_2FA, "Réinitialisation de la double authentification"),
        (CODES_REGENERATED, "Nouveaux codes de secours"),
        (CODE_USED, "Connexion avec un code de secours"),
    ]

    action = models.CharField("action", max_length=12, choices=ACTIONS)
    actor = models.ForeignKey("ipm.User", verbose_name="fait par", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    account = models.ForeignKey("ipm.User", verbose_name="compte", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="account_events")
    account_username = models.CharField("identifiant du compte", max_length=150)
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "événement de compte"
        verbose_name_plural = "événements de compte"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.account_username} — {self.at:%d/%m/%Y %H:%M}"

    @classmethod
    def record(cls, action, account, actor=None):
        return cls.objects.create(action=action, account=account, actor=actor or account,
                                  account_username=account.username)
