from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField

from dossiers.enums import (
    EmploymentStatus,
    Housing,
    PassportStatus,
    QualificationLevel,
    Resources,
    Sex,
    SocialSecurity,
    UnemploymentRights,
)

from .enums import ReferralStatus, StructureKind


class Structure(models.Model):
    """A mission locale or another referring body (prescripteur)."""

    name = models.CharField("nom", max_length=150, unique=True)
    kind = models.CharField("type", max_length=20, choices=StructureKind.choices, default=StructureKind.MISSION_LOCALE)
    department = models.CharField("département", max_length=3, blank=True, db_index=True)
    town = models.CharField("commune", max_length=100, blank=True)
    email = models.EmailField("courriel", blank=True)
    active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Referral(models.Model):
    """A fiche de liaison, as the referring counsellor filled it. A draft until submitted; submitting
    creates (or finds) the young person and opens a dossier."""

    status = models.CharField("statut", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    structure = models.ForeignKey(Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="referrals")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller prescripteur", on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Identity and contact
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    nationality = CountryField("nationalité", blank=True, default="FR")
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    town = models.CharField("commune", max_length=100, blank=True)
    qpv = models.BooleanField("habite en quartier prioritaire (QPV)", null=True, blank=True)
    zrr = models.BooleanField("habite en zone de revitalisation rurale (ZRR)", null=True, blank=True)
    # Situation
    qualification_level = models.CharField(
        "niveau de qualification", max_length=4, choices=QualificationLevel.choices, blank=True
    )
    employment_status = models.CharField("situation", max_length=20, choices=EmploymentStatus.choices, blank=True)
    registered_france_travail = models.BooleanField("inscrit à France Travail", null=True, blank=True)
    unemployment_rights = models.CharField(
        "droits au chômage", max_length=10, choices=UnemploymentRights.choices, blank=True
    )
    housing = models.CharField("logement", max_length=20, choices=Housing.choices, blank=True)
    social_security = models.CharField(
        "couverture sociale", max_length=20, choices=SocialSecurity.choices, blank=True
    )
    resources = models.CharField("ressources financières", max_length=20, choices=Resources.choices, blank=True)
    resources_details = models.CharField("précisions sur les ressources", max_length=255, blank=True)
    driving_licence = models.BooleanField("permis de conduire", null=True, blank=True)
    passport = models.CharField("pièce d'identité pour voyager", max_length=10, choices=PassportStatus.choices, blank=True)
    languages = models.TextField("langues parlées et niveau", blank=True)
    # Project
    wished_destination = models.CharField("destination souhaitée", max_length=150, blank=True)
    wished_sector = models.CharField("secteur d'activité souhaité", max_length=150, blank=True)
    motivation = models.TextField("motivation", blank=True)
    availability = models.CharField("disponibilité", max_length=255, blank=True)
    comments = models.TextField("remarques du conseiller", blank=True)
    # Consent of the young person to the processing of their data (RGPD): required, dated.
    consent = models.BooleanField("consentement du jeune", default=False)
    consent_date = models.DateField("date du consentement", null=True, blank=True)
    # After submission
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)
    youth = models.ForeignKey(
        "dossiers.Youth", verbose_name="jeune", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name="dossier", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referral",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "fiche de liaison"
        verbose_name_plural = "fiches de liaison"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["structure", "status"])]

    def __str__(self):
        return f"Fiche de liaison — {self.last_name.upper()} {self.first_name}"

    @property
    def is_draft(self):
        return self.status == ReferralStatus.DRAFT

    def get_absolute_url(self):
        if self.dossier_id:
            return reverse("dossiers:detail", args=[self.dossier_id])
        return reverse("referrals:edit", args=[self.pk])
