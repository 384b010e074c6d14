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


def outcome_of(situations):
    """The outcome of a follow-up from ``{month: situation}`` of the contacts where the young person was
    reached. The outcome is the situation six months after return (the month-6 contact, as the reports
    count it); ``("", False)`` while it is unknown. Returns ``(situation, positive)``."""
    final = situations.get(6) or ""
    if final == Situation.UNKNOWN:
        final = ""
    return final, is_positive(final)


def latest_situation(situations):
    """``(month, situation)`` of the latest known situation, or ``(None, "")``."""
    known = {m: s for m, s in situations.items() if s and s != Situation.UNKNOWN}
    if not known:
        return None, ""
    month = max(known)
    return month, known[month]


class CallSource(models.TextChoices):
    COUNSELLOR = "conseiller", "Appel du conseiller"
    YOUTH = "jeune", "Réponse du jeune (lien personnel)"
    CLOSING = "cloture", "Clôture du suivi sans réponse"


class MessageKind(models.TextChoices):
    DIGEST = "recapitulatif", "Récapitulatif des appels du conseiller"
    FOLLOWUP_LINK = "lien_suivi", "Lien de réponse au suivi mensuel"
    EUROPASS = "europass", "Rappel Europass"
    RETURN_REPORT = "rapport_retour", "Rappel du rapport d'activité"
    MEETING = "reunion", "Rappel de réunion (J-2)"
    NEW_REFERRAL = "nouvelle_fiche", "Nouvelle fiche de liaison (accueil)"
    DECISION = "decision", "Décision de la commission (conseiller)"
    INVITATION = "invitation", "Invitation à une réunion"
    MEETING_CANCELLED = "reunion_annulee", "Réunion annulée"
    MEETING_MOVED = "reunion_deplacee", "Nouvel horaire de réunion"
    SPACE_LINK = "lien_espace", "Lien de connexion à l'espace du jeune"
    DIAGNOSTIC = "diagnostic", "Résultat du diagnostic"
    PIECE_REFUSED = "piece_refusee", "Pièce refusée"
    FILE_COMPLETE = "dossier_complet", "Dossier complet"
    DECISION_YOUTH = "decision_jeune", "Décision de la commission (jeune)"
    CONTRACT_READY = "contrat_pret", "Contrat prêt à lire et accepter"
    DEPARTURE = "depart", "Rappel avant le départ (J-7)"
    SURVEY = "enquete", "Questionnaire de satisfaction ou enquête après le retour"
    SCHEDULED_EXPORT = "export_programme", "Export programmé (responsable)"
    PASSWORD_RESET = "mot_de_passe", "Lien pour choisir un nouveau mot de passe"


# The messages a referring counsellor receives a copy of, and may turn off one by one (« Mes notifications »).
# Messages to the young person are never turned off by it.
COPY_KINDS = (
    MessageKind.INVITATION, MessageKind.MEETING_MOVED, MessageKind.MEETING_CANCELLED, MessageKind.DIAGNOSTIC,
    MessageKind.PIECE_REFUSED, MessageKind.FILE_COMPLETE, MessageKind.DECISION, MessageKind.CONTRACT_READY,
    MessageKind.DEPARTURE,
)


class ContactChoice(models.TextChoices):
    """How the young person wants to be told of each step."""

    EMAIL = "email", "Par courriel"
    SMS = "sms", "Par SMS"
    BOTH = "les_deux", "Par courriel et par SMS"


class Channel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"


class MessageStatus(models.TextChoices):
    PENDING = "en_attente", "En attente d'envoi"
    SENT = "envoye", "Envoyé"
    FAILED = "echec", "Échec définitif"
    REFUSED = "refuse", "Non envoyé (SMS refusés)"


class DeliveryStatus(models.TextChoices):
    """What the SMS provider reported of a message after taking it (its delivery-report webhook)."""

    SENT = "envoye", "envoyé"
    DELIVERED = "remis", "remis"
    FAILED = "echoue", "échoué"


class OptOutSource(models.TextChoices):
    STOP = "stop", "Réponse « STOP » par SMS"
    UNSUBSCRIBE = "desinscription", "Désinscription signalée par le fournisseur"
