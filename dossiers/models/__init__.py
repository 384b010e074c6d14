"""The models of the dossiers app, one module per concern; ``from dossiers.models import X`` for any."""
from .commission import CommissionCriterion, CommissionReview, CommissionScore, CommissionSession
from .diagnostic import (
    EUROPE_COUNTRIES,
    Diagnostic,
    MobilityProject,
    SensitiveAccess,
    SensitiveDiagnostic,
    is_long_haul,
)
from .documents import Document, DocumentType
from .dossier import Dossier, DossierEvent, DossierQuerySet, Youth, YouthQuerySet

__all__ = [
    "CommissionCriterion", "CommissionReview", "CommissionScore", "CommissionSession", "EUROPE_COUNTRIES",
    "Diagnostic", "MobilityProject", "SensitiveAccess", "SensitiveDiagnostic", "is_long_haul", "Document",
    "DocumentType", "Dossier", "DossierEvent", "DossierQuerySet", "Youth", "YouthQuerySet",
]
