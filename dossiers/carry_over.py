"""Pieces still valid, taken over from a young person's earlier dossier into a new one.

A young person who comes back after a closed (or dropped) dossier need not upload again a piece that is
still valid: each piece of the checklist says how long a validated piece stays valid
(``DocumentType.validity_months``, counted from the day it was uploaded; empty: never taken over, e.g.
the cover letters). The piece is copied as a new ``Document`` of the new dossier: validated, with its own
copy of the file (so that deleting one dossier's file — a piece replaced, an erasure — never removes the
other's), and ``carried_over_from`` pointing to the piece it comes from (« reprise du dossier n° N »).
"""
from django.core.files.base import ContentFile
from django.utils import timezone

from ipm.dates import add_months

from .enums import DocumentStatus
from .models import Document


def still_valid(document, today):
    months = document.document_type.validity_months
    if not months:
        return False
    return add_months(timezone.localdate(document.uploaded_at), months) >= today


def carry_over_documents(dossier, user=None, today=None):
    """Copy into ``dossier`` every validated piece of the young person's earlier dossiers that is still
    valid (the most recent of each type), for the types ``dossier`` has none of. Returns the new rows."""
    today = today or timezone.localdate()
    taken = set(Document.objects.filter(dossier=dossier).values_list("document_type_id", flat=True))
    candidates = (
        Document.objects.filter(dossier__youth_id=dossier.youth_id, status=DocumentStatus.VALIDATED,
                                document_type__validity_months__gt=0, document_type__active=True)
        .exclude(dossier=dossier).select_related("document_type").order_by("-uploaded_at", "-pk")
    )
    created = []
    for old in candidates:
        if old.document_type_id in taken or not still_valid(old, today):
            continue
        try:
            with old.file.open("rb") as stored:
                content = stored.read()
        except (FileNotFoundError, OSError, ValueError):  # the stored file is gone: ask for the piece again
            continue
        copy = Document(
            dossier=dossier, document_type=old.document_type, status=DocumentStatus.VALIDATED,
            original_name=old.original_name, size=old.size, uploaded_by=old.uploaded_by,
            uploaded_at=old.uploaded_at, reviewed_by=user, reviewed_at=timezone.now(), carried_over_from=old,
        )
        copy.file.save(old.original_name or old.file.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
        copy.save()
        taken.add(old.document_type_id)
        created.append(copy)
    return created
