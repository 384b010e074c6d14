"""Choices about the young person, with French labels. Reports map them onto funders' categories."""
from django.db import models


class Sex(models.TextChoices):
    F = "F", "Femme"
    M = "M", "Homme"


class QualificationLevel(models.TextChoices):
    """Old nomenclature (VI … I) and the 2019 nomenclature (levels 3–8)."""

    VI = "VI", "VI — sans diplôme, sortie en cours de collège"
    VBIS = "Vbis", "Vbis — sortie avant la dernière année de CAP/BEP"
    V = "V", "V — CAP, BEP ou sortie de seconde/première"
    IV = "IV", "IV — baccalauréat ou sortie de terminale"
    III = "III", "III — bac + 2"
    II = "II", "II — licence, bac + 3 ou 4"
    I = "I", "I — master et plus"  # noqa: E741
    N3 = "3", "Niveau 3 (2019) — CAP, BEP"
    N4 = "4", "Niveau 4 (2019) — baccalauréat"
    N5 = "5", "Niveau 5 (2019) — bac + 2"
    N6 = "6", "Niveau 6 (2019) — licence, bac + 3"
    N7 = "7", "Niveau 7 (2019) — master"
    N8 = "8", "Niveau 8 (2019) — doctorat"


# The 2019 nomenclature mapped onto the old one, which funders still report in.
LEVEL_2019_TO_OLD = {"3": "V", "4": "IV", "5": "III", "6": "II", "7": "I", "8": "I"}


def old_level(level):
    """The old-nomenclature level of a stored level ('' when unknown)."""
    return LEVEL_2019_TO_OLD.get(level, level or "")


class EmploymentStatus(models.TextChoices):
    JOB_SEEKER = "demandeur_emploi", "Demandeur d'emploi"
    EMPLOYED = "actif_occupe", "Actif occupé"
    STUDENT = "etudiant", "Étudiant ou en formation"
    OTHER = "autre", "Autre"


class Housing(models.TextChoices):
    AUTONOMOUS = "autonome", "Logement autonome"
    PARENTS = "parents", "Chez les parents ou la famille"
    THIRD_PARTY = "tiers", "Hébergé par un tiers"
    HOSTEL = "foyer", "Foyer, FJT ou résidence sociale"
    EMERGENCY = "urgence", "Hébergement d'urgence ou sans domicile"
    OTHER = "autre", "Autre"


class SocialSecurity(models.TextChoices):
    GENERAL = "regime_general", "Régime général avec complémentaire"
    GENERAL_ONLY = "regime_general_seul", "Régime général sans complémentaire"
    CSS = "css", "Complémentaire santé solidaire (CSS)"
    NONE = "aucune", "Aucune couverture"
    UNKNOWN = "inconnu", "Ne sait pas"


class Resources(models.TextChoices):
    NONE = "aucune", "Aucune ressource"
    CEJ = "cej", "Allocation CEJ"
    RSA = "rsa", "RSA"
    ARE = "are", "Allocation chômage (ARE)"
    SALARY = "salaire", "Salaire"
    FAMILY = "famille", "Aide de la famille"
    OTHER = "autre", "Autre"


class UnemploymentRights(models.TextChoices):
    YES = "oui", "Oui, ouverts"
    PENDING = "en_cours", "En cours d'ouverture"
    NO = "non", "Non"
    UNKNOWN = "inconnu", "Ne sait pas"


class PassportStatus(models.TextChoices):
    VALID = "valide", "Passeport ou carte d'identité valide"
    EXPIRED = "expire", "Expiré"
    NONE = "aucun", "Aucun"


# --- Diagnostic, application file and commission ----------------------------------------------------


class DiagnosticOutcome(models.TextChoices):
    READY = "pret", "Prêt à partir"
    NOT_YET = "pas_encore", "Pas encore : orientation"


class Orientation(models.TextChoices):
    TRAINING = "formation", "Vers une formation"
    INTERNSHIP = "stage", "Vers un stage"
    FIRST_EXPERIENCE = "premiere_experience", "Vers une première expérience"
    OTHER_SCHEME = "autre_dispositif", "Vers un autre dispositif"
    OTHER = "autre", "Autre"


class LanguageLevel(models.TextChoices):
    NONE = "aucun", "Aucune notion"
    A1 = "A1", "A1 — débutant"
    A2 = "A2", "A2 — élémentaire"
    B1 = "B1", "B1 — seuil"
    B2 = "B2", "B2 — avancé"
    C1 = "C1", "C1 — autonome"
    C2 = "C2", "C2 — maîtrise"


class CriminalRecord(models.TextChoices):
    NONE = "neant", "Néant"
    MENTIONS = "mentions", "Mentions au casier"
    PENDING = "en_cours", "Procédure en cours"
    UNKNOWN = "inconnu", "Non renseigné"


class DocumentStatus(models.TextChoices):
    MISSING = "manquant", "Manquant"
    RECEIVED = "recu", "Reçu, à vérifier"
    VALIDATED = "valide", "Validé"
    REJECTED = "refuse", "Refusé"


class CommissionStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    HELD = "tenue", "Tenue"


class Decision(models.TextChoices):
    ACCEPTED = "accepte", "Accepté"
    REFUSED = "refuse", "Refusé"
    POSTPONED = "ajourne", "Ajourné"


class Origin(models.TextChoices):
    """How the young person came to the platform (the outreach cohorts of the fiche de liaison)."""

    USUAL = "habituel", "Parcours habituel"
    SPOTTED = "repere", "Repéré (aller-vers)"
    REACTIVATED = "reactive", "Réactivé"


# The outreach cohorts: the origins that name an « aller-vers » action.
OUTREACH_ORIGINS = (Origin.SPOTTED, Origin.REACTIVATED)
