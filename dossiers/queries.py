"""Reusable dossier querysets for the list pages."""
from django.db.models.functions import Coalesce

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


def newest_first(queryset, data=None, one_structure=False):
    """Order a dossier list newest fiche first. When the search holds a full name (two words or more),
    or when the list is one structure's (a counsellor's young people, or the structure filter) and
    searched, the order is written ``COALESCE(received_on, received_on)``, the same order that
    PostgreSQL cannot read from the ``received_on`` index: otherwise, for a name like « martin lea »
    (a short word, matches badly estimated), the planner walked the whole index backwards looking for 25
    matches (0.9 s instead of 6 ms, BENCHMARKS.md), and for one structure's « andre » it walked 4,500 of
    its dossiers (94 ms instead of 14 ms). A full name, or a name within one structure, matches few
    dossiers: finding them by the trigram and structure indexes then sorting them is always fast. One
    word over every structure (often a start of name, thousands of matches) keeps the index walk."""
    data = data or {}
    words = fold(data.get("q") or "").split()
    if len(words) >= 2 or (words and (one_structure or data.get("structure"))):
        return queryset.order_by(Coalesce("received_on", "received_on").desc(), "-id")
    return queryset.order_by("-received_on", "-id")
