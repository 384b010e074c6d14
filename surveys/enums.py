from django.db import models


class ItemKind(models.TextChoices):
    SCALE4 = "scale4", "Échelle à quatre niveaux (avec « ne sait pas »)"
    YES_NO = "yes_no", "Oui / non"
    ONE_CHOICE = "one_choice", "Un choix dans une liste"
    MULTI_CHOICE = "multi_choice", "Plusieurs choix"
    FREE_TEXT = "free_text", "Texte libre"


# The four-level scale: (value stored, label shown and counted).
SCALE4_OPTIONS = [("4", "excellent"), ("3", "très bien"), ("2", "satisfaisant"), ("1", "insatisfaisant"),
                  ("ne_sait_pas", "ne sait pas")]
YES_NO_OPTIONS = [("oui", "oui"), ("non", "non")]


class Horizon(models.TextChoices):
    RETURN = "retour", "Questionnaire de satisfaction au retour"
    MONTHS_12 = "12", "Enquête à 12 mois"
    MONTHS_36 = "36", "Enquête à 36 mois"


# Months after return of each survey (the return questionnaire is due at the return review).
HORIZON_MONTHS = {Horizon.MONTHS_12: 12, Horizon.MONTHS_36: 36}


class Source(models.TextChoices):
    SPACE = "espace", "Réponse du jeune dans son espace"
    PHONE = "telephone", "Saisie par l'équipe (téléphone)"
    PAPER = "papier", "Saisie par l'équipe (questionnaire papier)"


STAFF_SOURCES = [(Source.PHONE.value, Source.PHONE.label), (Source.PAPER.value, Source.PAPER.label)]
