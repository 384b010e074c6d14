from django.db import models


class ImportStatus(models.TextChoices):
    PENDING = "en_attente", "En attente de vérification"
    CHECKING = "verification", "Vérification en cours"
    CHECKED = "verifie", "Vérifié : prêt à importer"
    REFUSED = "refuse", "Refusé : le fichier contient des erreurs"
    QUEUED = "a_importer", "Import demandé"
    IMPORTING = "import", "Import en cours"
    DONE = "termine", "Importé"
    FAILED = "echec", "Échoué"


# Statuses after which the job page stops polling.
SETTLED = frozenset({ImportStatus.CHECKED, ImportStatus.REFUSED, ImportStatus.DONE, ImportStatus.FAILED})
