"""The young person, the dossier (one pass round the wheel) and its timeline."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ipm.access import ScopedQuerySet, has_capability
from ipm.phones import PhoneField
from ipm.text import fold, person_key

from ..enums import EmploymentStatus, Origin, QualificationLevel, Sex
from ..workflow import State


class YouthQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Platform roles and managers: every young person; a counsellor: those with a dossier of their
        structure."""
        if user.is_authenticated and user.is_active and (user.is_superuser or has_capability(user, "read_all")):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Dossier.objects.visible_to(user).values("youth")).distinct()


class DossierQuerySet(ScopedQuerySet):
    structure_field = "structure"


class Youth(models.Model):
    """One young person. One person may go round the wheel several times (several dossiers)."""

    objects = YouthQuerySet.as_manager()
    history = HistoricalRecords()
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    nationality = CountryField("nationalité", blank=True, default="", help_text="Laissez vide si elle n'est pas connue : elle n'est jamais devinée.")
    email = models.EmailField("courriel", blank=True)
    phone = PhoneField("téléphone", blank=True)
    # « J'accepte de recevoir des SMS »: when the young person agreed (the fiche, or their space); empty:
    # no SMS is sent to them (followup.optout). The history keeps every change.
    sms_consent_at = models.DateTimeField("accord pour recevoir des SMS le", null=True, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    town = models.CharField("commune", max_length=100, blank=True)
    qpv = models.BooleanField("habite en QPV", null=True, blank=True)
    zrr = models.BooleanField("habite en ZRR", null=True, blank=True)
    qualification_level = models.CharField(
        "niveau de qualification", max_length=4, choices=QualificationLevel.choices, blank=True
    )
    employment_status = models.CharField(
        "situation", max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    # Folded "name|first name|birth date": finds a returning young person whatever the case or accents.
    match_key = models.CharField(max_length=255, unique=True, editable=False)
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "jeune"
        verbose_name_plural = "jeunes"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.match_key = person_key(self.last_name, self.first_name, self.birth_date)
        self.search_name = f"{fold(self.last_name)} {fold(self.first_name)}"
        super().save(*args, **kwargs)

    @property
    def department(self):
        if not self.postcode:
            return ""
        return self.postcode[:3] if self.postcode.startswith("97") else self.postcode[:2]

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Dossier(models.Model):
    """One pass of one young person round the wheel: the central record."""

    objects = DossierQuerySet.as_manager()
    history = HistoricalRecords()
    youth = models.ForeignKey(Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="dossiers")
    structure = models.ForeignKey(
        "referrals.Structure", verbose_name="structure prescriptrice", on_delete=models.PROTECT,
        related_name="dossiers",
    )
    referring_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller prescripteur", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="referred_dossiers",
    )
    platform_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="conseiller mobilité", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="followed_dossiers",
    )
    state = models.CharField("étape", max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True)
    state_changed_at = models.DateTimeField("étape depuis le", default=timezone.now)
    received_on = models.DateField("fiche reçue le", default=timezone.localdate, db_index=True)
    scheme = models.ForeignKey(
        "departures.Scheme", verbose_name="dispositif", null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The outreach cohort (how the young person came): copied from the first fiche, or the import's ``origine``.
    origin = models.CharField("origine", max_length=10, choices=Origin.choices, default=Origin.USUAL, db_index=True)
    # Legacy import: the old system's reference, and the mark that the dossier came from it.
    imported = models.BooleanField("importé", default=False)
    legacy_reference = models.CharField("référence d'origine", max_length=50, null=True, blank=True, unique=True)
    # Optimistic locking: bumped by every edit form save, checked against the value the form was shown with.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["structure", "state"]),
            models.Index(fields=["state", "received_on"]),
        ]

    def __str__(self):
        return f"Dossier n° {self.pk} — {self.youth}"

    def get_absolute_url(self):
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def state_label(self):
        return State(self.state).label

    @property
    def referral(self):
        """The fiche that opened the dossier (the first one; later fiches attached to it come after)."""
        return self.referrals.order_by("submitted_at", "pk").first()


class DossierEvent(models.Model):
    """One line of a dossier's timeline: who moved it from which state to which, when, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField("de", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("vers", max_length=20, choices=State.choices)
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "événement du dossier"
        verbose_name_plural = "événements du dossier"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_state or '∅'} → {self.to_state}"

    @property
    def is_note(self):
        """A note on the timeline (a fiche attached, a merge): no change of state, from == to."""
        return bool(self.from_state) and self.from_state == self.to_state
