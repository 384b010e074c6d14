from django.db import models


class SchemeFormat(models.TextChoices):
    GROUP = "groupe", "Collectif"
    INDIVIDUAL = "individuel", "Individuel"


class ReminderCadence(models.TextChoices):
    DAILY = "quotidien", "Quotidienne"
    WEEKLY = "hebdomadaire", "Hebdomadaire"
    NONE = "aucune", "Aucune"
