"""Choices of the network: how an ambassador wants to be reached, the network meetings' kinds, attendance."""
from django.db import models


class PreferredContact(models.TextChoices):
    EMAIL = "email", "Par courriel"
    PHONE = "telephone", "Par téléphone"
    SMS = "sms", "Par SMS"


class NetworkMeetingKind(models.TextChoices):
    PROFESSIONALISATION = "professionnalisation", "Réunion de professionnalisation des conseillers"
    AMBASSADORS = "ambassadeurs", "Réunion des ambassadeurs"
    PARTNERS = "partenaires", "Réunion des partenaires"


class Presence(models.TextChoices):
    INVITED = "invite", "Invité"
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excuse", "Excusé"


MONTHS = [
    (1, "janvier"), (2, "février"), (3, "mars"), (4, "avril"), (5, "mai"), (6, "juin"), (7, "juillet"),
    (8, "août"), (9, "septembre"), (10, "octobre"), (11, "novembre"), (12, "décembre"),
]
MONTH_NAMES = dict(MONTHS)
