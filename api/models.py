"""The API's own rows: a structure's tokens (only their hash is kept), the log of every call (the audit
journal shows it) and the fiches sent through the API with their idempotency key."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, structure__active=True)


class ApiToken(models.Model):
    """The key of one structure's information system. The key itself is shown once, at creation; the
    database keeps its SHA-256 (``key_hash``) and its first characters (``prefix``) to tell keys apart."""

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords()  # created and revoked by whom: in the audit journal
    structure = models.ForeignKey("referrals.Structure", verbose_name="structure", on_delete=models.PROTECT,
                                  related_name="api_tokens")
    name = models.CharField("nom", max_length=100, help_text="Ex. : i-milo, connecteur de la mission locale.")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller prescripteur des fiches", on_delete=models.PROTECT,
        related_name="+", help_text="Les fiches envoyées sans conseiller désigné arrivent à son nom.",
    )
    prefix = models.CharField("début de la clé", max_length=12)
    key_hash = models.CharField("empreinte de la clé", max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernier appel", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="révoqué par", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["structure__name", "-created_at"]

    def __str__(self):
        return f"{self.name} ({self.structure}, {self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiCall(models.Model):
    """One request to the API: which token and structure, which endpoint, which answer — never the body."""

    token = models.ForeignKey(ApiToken, verbose_name="jeton", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="calls")
    structure = models.ForeignKey("referrals.Structure", verbose_name="structure", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("adresse", max_length=255)
    status = models.PositiveSmallIntegerField("réponse")
    referral_id = models.BigIntegerField("fiche", null=True, blank=True)
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "appel de l'API"
        verbose_name_plural = "appels de l'API"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.method} {self.path} → {self.status}"


class ApiFiche(models.Model):
    """A fiche sent through the API: its idempotency key (a retry with the same key gets the first
    answer, no second fiche), and the fingerprint of its body."""

    structure = models.ForeignKey("referrals.Structure", verbose_name="structure", on_delete=models.PROTECT,
                                  related_name="+")
    token = models.ForeignKey(ApiToken, verbose_name="jeton", null=True, on_delete=models.SET_NULL, related_name="+")
    referral = models.OneToOneField("referrals.Referral", verbose_name="fiche", null=True, on_delete=models.CASCADE,
                                    related_name="api_fiche")
    idempotency_key = models.CharField("clé d'idempotence", max_length=255, blank=True)
    body_hash = models.CharField("empreinte du contenu", max_length=64)
    # What sending the fiche did (referrals.services: new, returning or attached), for a retry's answer.
    outcome = models.CharField("résultat", max_length=10, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)

    class Meta:
        verbose_name = "fiche reçue par l'API"
        verbose_name_plural = "fiches reçues par l'API"
        constraints = [
            models.UniqueConstraint(fields=["structure", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="api_fiche_one_per_idempotency_key"),
        ]
