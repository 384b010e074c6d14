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
