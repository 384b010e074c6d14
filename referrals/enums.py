from django.db import models


class StructureKind(models.TextChoices):
    MISSION_LOCALE = "mission_locale", "Mission locale"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    CRIJ = "crij", "CRIJ"
    FJT = "fjt", "FJT"
    OTHER = "autre", "Autre"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Envoyée"


class OutreachKind(models.TextChoices):
    """The kinds of « aller-vers » actions through which a mission locale finds young people."""

    OUTSIDE = "hors_murs", "Hors les murs"
    ONLINE = "en_ligne", "En ligne"
    EVENT = "evenement", "Événement"
    PARTNER = "partenaire", "Avec un partenaire"
    OTHER = "autre", "Autre"
