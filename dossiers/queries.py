"""Reusable dossier querysets for the list pages."""
from ipm.text import fold

from .workflow import ACTIVE_STATES


def filter_dossiers(queryset, data):
    """Apply the cleaned data of a ``DossierFilterForm`` to a dossier queryset."""
    q = fold(data.get("q") or "")
    for word in q.split():
        queryset = queryset.filter(youth__search_name__contains=word)
    state = data.get("state")
    if state == "actifs":
        queryset = queryset.filter(state__in=ACTIVE_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    if data.get("structure"):
        queryset = queryset.filter(structure=data["structure"])
    if data.get("department"):
        queryset = queryset.filter(structure__department=data["department"].strip())
    if data.get("date_from"):
        queryset = queryset.filter(received_on__gte=data["date_from"])
    if data.get("date_to"):
        queryset = queryset.filter(received_on__lte=data["date_to"])
    return queryset


def list_queryset(queryset):
    return queryset.select_related("youth", "structure", "referring_counsellor", "platform_counsellor")
