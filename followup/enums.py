from django.db import models


class Situation(models.TextChoices):
    """The young person's situation at a follow-up contact (values match the legacy import)."""

    CDI = "emploi_cdi", "En emploi — CDI"
    CDD_LONG = "emploi_cdd_6_mois_plus", "En emploi — CDD de six mois ou plus"
    CDD_SHORT = "emploi_cdd_moins_6_mois", "En emploi — CDD de moins de six mois"
    TEMPORARY = "interim", "Intérim"
    TRAINING = "formation_qualifiante", "Formation qualifiante"
    STUDIES = "etudes", "Études"
    CIVIC_SERVICE = "service_civique", "Service civique"
    JOB_SEEKING = "recherche_emploi", "En recherche d'emploi"
    OTHER = "autre", "Autre"
    UNKNOWN = "inconnu", "Inconnue"


# A "sortie positive": CDI, CDD of six months or more, or a qualifying training, within six months.
POSITIVE_SITUATIONS = frozenset({Situation.CDI, Situation.CDD_LONG, Situation.TRAINING})


def is_positive(situation):
    return situation in POSITIVE_SITUATIONS
