"""The network around the wheel: ambassadors (returned young people who agreed to testify), parrainage
(a candidate paired with a former participant, and the meetings of the pair), and the network meetings
(professionalisation of the missions locales' counsellors, ambassadors, partners) with their invitations.

Who sees what is declared here (``ScopedQuerySet``): an ambassador and a pairing belong to the structure
of their dossier (the ambassador's returned dossier, the candidate's dossier).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ipm.access import ScopedQuerySet

from .enums import MONTH_NAMES, NetworkMeetingKind, PreferredContact, Presence


class AmbassadorQuerySet(ScopedQuerySet):
    structure_field = "dossier__structure"

    def active(self):
        """Ambassadors whose consent stands (a withdrawn one is in no search, no invitation list)."""
        return self.filter(withdrawn_at__isnull=True)


class Ambassador(models.Model):
    """A young person back from their stay who agreed (dated consent, withdrawable at any time) to testify
    at information collectives and events. Their scheme, destination and territory are those of their
    returned dossier."""

    objects = AmbassadorQuerySet.as_manager()
    youth = models.OneToOneField("dossiers.Youth", verbose_name="jeune", on_delete=models.CASCADE,
                                 related_name="ambassador")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="dossier du séjour", on_delete=models.CASCADE,
                                related_name="ambassadors")
    consent_on = models.DateField("accord du jeune donné le")
    availability = models.CharField("disponibilités", max_length=255, blank=True,
                                    help_text="Par exemple « le mercredi après-midi, pas pendant les examens ».")
    months = models.JSONField("mois de disponibilité", default=list, blank=True)
    preferred_contact = models.CharField("contact préféré", max_length=10, choices=PreferredContact.choices,
                                         default=PreferredContact.EMAIL)
    # Staff decide, with the young person's agreement, whether the missions locales see the contact details.
    contact_shared = models.BooleanField(
        "coordonnées visibles de la mission locale", default=False,
        help_text="Avec l'accord du jeune : le conseiller de sa mission locale voit son courriel et son téléphone.")
    withdrawn_at = models.DateTimeField("accord retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="retrait saisi par", null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawal_note = models.CharField("précision sur le retrait", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="enregistré par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "ambassadeur"
        verbose_name_plural = "ambassadeurs"
        ordering = ["youth__last_name", "youth__first_name"]

    def __str__(self):
        return f"{self.youth.first_name} {self.youth.last_name}".strip()

    def get_absolute_url(self):
        return reverse("network:ambassador_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.withdrawn_at is None

    @property
    def stay(self):
        return getattr(self.dossier, "stay", None)

    @property
    def scheme(self):
        stay = self.stay
        return stay.scheme if stay is not None else self.dossier.scheme

    @property
    def destination(self):
        stay = self.stay
        return stay.destination if stay is not None else ""

    @property
    def months_label(self):
        return ", ".join(MONTH_NAMES[m] for m in sorted(self.months or []) if m in MONTH_NAMES)


class PairingQuerySet(ScopedQuerySet):
    structure_field = "candidate__structure"

    def active_on(self, day):
        """The pairs under way on ``day``: formed by then and not ended by then (ended that day: no longer)."""
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class Pairing(models.Model):
    """A candidate (their dossier on the wheel) paired with a parrain or marraine: a former participant
    (their returned dossier), often an ambassador."""

    objects = PairingQuerySet.as_manager()
    candidate = models.ForeignKey("dossiers.Dossier", verbose_name="candidat", on_delete=models.CASCADE,
                                  related_name="sponsorships")
    sponsor = models.ForeignKey("dossiers.Dossier", verbose_name="parrain ou marraine", on_delete=models.CASCADE,
                                related_name="sponsored_pairings")
    started_on = models.DateField("binôme formé le")
    ended_on = models.DateField("binôme terminé le", null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="fin saisie par", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="formé par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "binôme de parrainage"
        verbose_name_plural = "binômes de parrainage"
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "sponsor"], name="pairing_unique_candidate_sponsor"),
            models.CheckConstraint(condition=~Q(candidate=models.F("sponsor")), name="pairing_not_oneself"),
        ]

    def __str__(self):
        return f"{self.candidate.youth} parrainé(e) par {self.sponsor.youth}"

    def get_absolute_url(self):
        return reverse("network:pairing_detail", args=[self.pk])

    @property
    def is_ended(self):
        return self.ended_on is not None


class PairMeeting(models.Model):
    """One meeting of a pair, with its short report (« fiche de restitution »)."""

    pairing = models.ForeignKey(Pairing, verbose_name="binôme", on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("date de la rencontre")
    place = models.CharField("lieu", max_length=255, blank=True)
    report = models.TextField("fiche de restitution", help_text="Ce qui a été vu ensemble, en quelques lignes.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="saisie par", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "rencontre parrain-candidat"
        verbose_name_plural = "rencontres parrain-candidat"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Rencontre du {self.date:%d/%m/%Y}"


class NetworkMeeting(models.Model):
    """A meeting of the network: counsellors of the missions locales, ambassadors or partners."""

    kind = models.CharField("type de réunion", max_length=25, choices=NetworkMeetingKind.choices,
                            default=NetworkMeetingKind.PROFESSIONALISATION)
    title = models.CharField("intitulé", max_length=150, blank=True)
    date = models.DateField("date", db_index=True)
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    notes = models.TextField("informations pour les invités", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="annulée par", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="créée par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "réunion du réseau"
        verbose_name_plural = "réunions du réseau"
        ordering = ["-date", "-start_time"]

    def __str__(self):
        return f"{self.title or self.get_kind_display()} du {self.date:%d/%m/%Y} à {self.start_time:%H:%M}"

    def get_absolute_url(self):
        return reverse("network:meeting_detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class NetworkInvitation(models.Model):
    """A user (a counsellor, a partner's contact) or an ambassador invited to a network meeting."""

    meeting = models.ForeignKey(NetworkMeeting, verbose_name="réunion", on_delete=models.CASCADE,
                                related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utilisateur", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="network_invitations")
    ambassador = models.ForeignKey(Ambassador, verbose_name="ambassadeur", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="network_invitations")
    status = models.CharField("présence", max_length=10, choices=Presence.choices, default=Presence.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="invité par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField("invité le", auto_now_add=True)
    email_sent_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    # The revision of the guest's calendar entry (SEQUENCE), raised on each renewal and on the cancel.
    sequence = models.PositiveIntegerField("révision de l'invitation (agenda)", default=0)

    class Meta:
        verbose_name = "invitation à une réunion du réseau"
        verbose_name_plural = "invitations aux réunions du réseau"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="network_invitation_unique_user"),
            models.UniqueConstraint(fields=["meeting", "ambassador"], name="network_invitation_unique_ambassador"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, ambassador__isnull=True) | Q(user__isnull=True, ambassador__isnull=False),
                name="network_invitation_one_guest"),
        ]

    def __str__(self):
        return f"{self.guest} — {self.meeting}"

    @property
    def guest(self):
        return self.ambassador if self.ambassador_id else self.user


class SpeakerInvitation(models.Model):
    """An ambassador invited to speak at a meeting of the wheel (an information collective…)."""

    meeting = models.ForeignKey("referrals.Meeting", verbose_name="réunion", on_delete=models.CASCADE,
                                related_name="speakers")
    ambassador = models.ForeignKey(Ambassador, verbose_name="ambassadeur", on_delete=models.CASCADE,
                                   related_name="speaker_invitations")
    status = models.CharField("présence", max_length=10, choices=Presence.choices, default=Presence.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="invité par", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField("invité le", auto_now_add=True)
    email_sent_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    # The revision of the guest's calendar entry (SEQUENCE), raised on each renewal and on the cancel.
    sequence = models.PositiveIntegerField("révision de l'invitation (agenda)", default=0)

    class Meta:
        verbose_name = "intervention d'un ambassadeur"
        verbose_name_plural = "interventions d'ambassadeurs"
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ambassador"], name="speaker_unique_per_meeting"),
        ]

    def __str__(self):
        return f"{self.ambassador} — {self.meeting}"
