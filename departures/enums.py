from django.db import models


class SchemeFormat(models.TextChoices):
    GROUP = "groupe", "Collectif"
    INDIVIDUAL = "individuel", "Individuel"


class ReminderCadence(models.TextChoices):
    DAILY = "quotidien", "Quotidienne"
    WEEKLY = "hebdomadaire", "Hebdomadaire"
    NONE = "aucune", "Aucune"


class ContractVariant(models.TextChoices):
    STANDARD = "standard", "Contrat d'engagement standard"
    PLACEMENT = "stage", "Stage en entreprise (Erasmus+)"
    WORK = "travail", "Contrat de travail à l'étranger"
    GROUP = "collectif", "Séjour collectif"


class Funder(models.TextChoices):
    ERASMUS = "erasmus", "Agence Erasmus+"
    STATE = "etat", "État"
    REGION = "region", "Région"
    FEJ = "fej", "Fonds d'expérimentation pour la jeunesse (FEJ)"
    COMPANY = "entreprise", "Entreprise"
    OTHER = "autre", "Autre financeur"


class PaymentMeans(models.TextChoices):
    CASH = "especes", "Espèces"
    CHEQUE = "cheque", "Chèque"
    TRANSFER = "virement", "Virement"
    CARD = "carte", "Carte bancaire"
    OTHER = "autre", "Autre"


class EuropassStatus(models.TextChoices):
    NOT_STARTED = "non_commence", "Pas commencé"
    IN_PROGRESS = "en_cours", "Rempli régulièrement"
    LATE = "en_retard", "En retard"
    COMPLETED = "complet", "Complet"


class VisitAssessment(models.TextChoices):
    VERY_GOOD = "tres_bien", "Très satisfaisant"
    GOOD = "bien", "Satisfaisant"
    WATCH = "a_surveiller", "À surveiller"
    PROBLEM = "probleme", "Problématique"


class IncidentKind(models.TextChoices):
    HEALTH = "sante", "Santé"
    BEHAVIOUR = "comportement", "Comportement"
    HOUSING = "logement", "Logement"
    WORK = "travail", "Travail / structure d'accueil"
    TRAVEL = "voyage", "Voyage"
    OTHER = "autre", "Autre"


class ActionType(models.TextChoices):
    """Erasmus+ key action 1 action types the platform uses (the code of the grant agreement number)."""

    KA121_VET = "KA121-VET", "KA121-VET — projets accrédités, formation professionnelle"
    KA122_VET = "KA122-VET", "KA122-VET — projets de courte durée, formation professionnelle"
    KA151_YOU = "KA151-YOU", "KA151-YOU — projets accrédités, jeunesse"
    KA152_YOU = "KA152-YOU", "KA152-YOU — mobilité des jeunes (échanges de jeunes)"
    KA153_YOU = "KA153-YOU", "KA153-YOU — mobilité des animateurs de jeunesse"


class ActivityType(models.TextChoices):
    """Beneficiary Module activity types of the learners' mobilities the platform sends (the value
    written in the « Activity type » column; see docs/erasmus.md)."""

    VET_SHORT = "LM-SHORT-VET", "Mobilité de courte durée d'apprenants EFP (10 à 89 jours)"
    VET_LONG = "LM-LONG-VET", "Mobilité de longue durée d'apprenants EFP — ErasmusPro (90 à 365 jours)"
    YOUTH_EXCHANGE = "YOU-EXCH", "Échange de jeunes (5 à 21 jours)"


class ParticipantCategory(models.TextChoices):
    VET_LEARNER = "VET-LEARNER", "Apprenant de l'enseignement et de la formation professionnels"
    RECENT_GRADUATE = "VET-GRADUATE", "Jeune diplômé de l'EFP (moins de 12 mois)"
    YOUNG_PERSON = "YOUNG", "Jeune (13 à 30 ans)"


class UnitCostKind(models.TextChoices):
    TRAVEL = "voyage", "Voyage (par bande de distance)"
    GREEN_TRAVEL = "voyage_vert", "Voyage écoresponsable (par bande de distance)"
    INDIVIDUAL = "soutien_individuel", "Soutien individuel (par jour, par groupe de pays)"
    INCLUSION = "inclusion", "Soutien à l'inclusion (par participant)"


class DistanceBand(models.TextChoices):
    """The Programme Guide's distance bands (one-way great-circle distance, in km)."""

    B10 = "10-99", "10 à 99 km"
    B100 = "100-499", "100 à 499 km"
    B500 = "500-1999", "500 à 1 999 km"
    B2000 = "2000-2999", "2 000 à 2 999 km"
    B3000 = "3000-3999", "3 000 à 3 999 km"
    B4000 = "4000-7999", "4 000 à 7 999 km"
    B8000 = "8000+", "8 000 km et plus"


class CountryGroup(models.TextChoices):
    G1 = "1", "Groupe 1"
    G2 = "2", "Groupe 2"
    G3 = "3", "Groupe 3"
