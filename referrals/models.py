from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from dossiers.enums import (
    EmploymentStatus,
    Housing,
    Origin,
    PassportStatus,
    QualificationLevel,
    Resources,
    Sex,
    SocialSecurity,
    UnemploymentRights,
)

from ipm.access import ScopedQuerySet
from ipm.phones import PhoneField

from .enums import OutreachKind, ReferralStatus, StructureKind


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


class OutreachAction(models.Model):
    """An « aller-vers » action (outside the walls, online, an event…) through which young people were
    found (repérés) or got back in touch (réactivés); kept by managers. No structure: open to every one."""

    name = models.CharField("nom", max_length=150)
    structure = models.ForeignKey(
        Structure, verbose_name="structure", null=True, blank=True, on_delete=models.PROTECT,
        related_name="outreach_actions",
    )
    kind = models.CharField("type d'action", max_length=20, choices=OutreachKind.choices, default=OutreachKind.OUTSIDE)

    class Meta:
        verbose_name = "action d'aller-vers"
        verbose_name_plural = "actions d'aller-vers"
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.structure})" if self.structure_id else self.name


class ReferralQuerySet(ScopedQuerySet):
    structure_field = "structure"


class Referral(models.Model):
    """A fiche de liaison, as the referring counsellor filled it. A draft until submitted; submitting
    creates (or finds) the young person and opens a dossier."""

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords()
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
    nationality = CountryField("nationalité", blank=True, default="", help_text="Laissez vide si elle n'est pas connue : elle n'est jamais devinée.")
    email = models.EmailField("courriel", blank=True)
    phone = PhoneField("téléphone", blank=True)
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
    # The young person's identifier in the structure's own information system (i-milo…), sent with a fiche
    # through the API (docs/api.md), which finds the fiche by it. It means something only within its
    # structure (two structures' « 1234 » are two people); erased with the young person (privacy/rgpd.py).
    external_id = models.CharField("identifiant dans le système de la structure", max_length=64, blank=True)
    # How the young person came (outreach cohorts) and, for repérés and réactivés, the action.
    origin = models.CharField("origine", max_length=10, choices=Origin.choices, default=Origin.USUAL)
    outreach_action = models.ForeignKey(
        OutreachAction, verbose_name="action d'aller-vers", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Consent of the young person to the processing of their data (RGPD): required, dated.
    consent = models.BooleanField("consentement du jeune", default=False)
    consent_date = models.DateField("date du consentement", null=True, blank=True)
    # « J'accepte de recevoir des SMS »: copied onto the young person, dated, when the fiche is sent.
    sms_consent = models.BooleanField("accepte de recevoir des SMS", default=False)
    # After submission
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)
    youth = models.ForeignKey(
        "dossiers.Youth", verbose_name="jeune", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Several fiches may point to one dossier: a fiche sent while the young person already has an open
    # dossier is attached to it (``services.submit_referral``); ``Dossier.referral`` is the first one.
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "fiche de liaison"
        verbose_name_plural = "fiches de liaison"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["structure", "status"]),
                   models.Index(fields=["structure", "external_id"], name="referral_structure_external_id")]

    def __str__(self):
        return f"Fiche de liaison — {self.last_name.upper()} {self.first_name}"

    @property
    def is_draft(self):
        return self.status == ReferralStatus.DRAFT

    def get_absolute_url(self):
        if self.dossier_id:
            return reverse("dossiers:detail", args=[self.dossier_id])
        return reverse("referrals:edit", args=[self.pk])


# --- Meetings: information collective, individual interview, preparation for departure -------------
# One generic model for every collective or individual meeting; services in ``referrals/meetings.py``.
from .meeting_enums import SEAT_HOLDING, Attendance, MeetingKind  # noqa: E402


class Meeting(models.Model):
    """A dated meeting young people are invited to: an information collective, an individual interview
    in its place, or a preparation-for-departure meeting."""

    kind = models.CharField("type de réunion", max_length=20, choices=MeetingKind.choices, default=MeetingKind.INFO)
    title = models.CharField("intitulé", max_length=150, blank=True)
    date = models.DateField("date", db_index=True)
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    capacity = models.PositiveSmallIntegerField("nombre de places", null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="animateur", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="facilitated_meetings",
    )
    scheme = models.ForeignKey(
        "departures.Scheme", verbose_name="dispositif", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="meetings",
    )
    notes = models.TextField("informations pour les participants", blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["-date", "-start_time"]

    def __str__(self):
        label = self.title or self.get_kind_display()
        return f"{label} du {self.date:%d/%m/%Y} à {self.start_time:%H:%M}"

    def get_absolute_url(self):
        return reverse("referrals:meeting_detail", args=[self.pk])

    @property
    def seats_taken(self):
        return self.invitations.filter(status__in=SEAT_HOLDING).count()

    @property
    def seats_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


class Invitation(models.Model):
    """One young person (one dossier) invited to one meeting, and whether they came."""

    meeting = models.ForeignKey(Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="invitations")
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="dossier", on_delete=models.CASCADE, related_name="invitations"
    )
    status = models.CharField("présence", max_length=10, choices=Attendance.choices, default=Attendance.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField("invité le", auto_now_add=True)
    email_sent_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="présence saisie par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    attendance_at = models.DateTimeField("présence saisie le", null=True, blank=True)
    comment = models.CharField("commentaire", max_length=255, blank=True)
    # Withdrawn (status « retirée »): the dossier left the stage the invitation was for, or the meeting
    # was cancelled; no reminder goes out for it.
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_reason = models.CharField("motif du retrait", max_length=255, blank=True)
    # The calendar file's SEQUENCE (RFC 5545): raised on every change a calendar must follow (date, time or
    # place, cancel, withdrawal, invited again); its UID stays the same (``referrals.calendar``).
    sequence = models.PositiveIntegerField("révision de l'invitation (agenda)", default=0)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["meeting__date", "dossier__youth__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "dossier"], name="invitation_unique_per_meeting_dossier"),
        ]

    def __str__(self):
        return f"{self.dossier} — {self.meeting}"
