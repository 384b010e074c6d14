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
