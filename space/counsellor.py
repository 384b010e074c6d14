"""« Mes jeunes »: where each young person is, as the referring counsellor sees it — the pieces (validated,
to check, refused), the contract accepted online, the follow-up answered by the young person themself.
Three queries for a whole page of dossiers (``tests/test_query_budgets.py``)."""
from dossiers.services import bulk_completeness
from dossiers.workflow import ACTIVE_STATES, AGENDA_STATES
from followup.enums import CallSource
from followup.models import FollowUpCall

from .models import ContractAcceptance


def annotate_progress(dossiers):
    """Give each dossier of ``dossiers`` (a list or an evaluated page) ``progress``: a dict with
    ``pieces`` (its ``Completeness`` while the file is built), ``refused`` and ``to_check`` (counts),
    ``accepted`` (the latest online acceptance of a contract, or None), ``answered`` (the months of
    follow-up the young person answered themself) and ``can_upload``."""
    dossiers = list(dossiers)
    ids = [d.pk for d in dossiers]
    building = [d for d in dossiers if d.state in AGENDA_STATES]
    pieces = bulk_completeness(building) if building else {}
    accepted = {}
    for acceptance in ContractAcceptance.objects.filter(contract__dossier__in=ids).select_related("contract") \
            .order_by("accepted_at"):
        accepted[acceptance.contract.dossier_id] = acceptance
    answered = {}
    for dossier_id, month in (FollowUpCall.objects.filter(dossier__in=ids, source=CallSource.YOUTH)
                              .order_by("month").values_list("dossier_id", "month")):
        answered.setdefault(dossier_id, []).append(month)
    for dossier in dossiers:
        state = pieces.get(dossier.pk)
        lines = state.lines if state else []
        dossier.progress = {
            "pieces": state,
            "refused": sum(1 for line in lines if line.status == "refuse"),
            "to_check": sum(1 for line in lines if line.status == "recu"),
            "accepted": accepted.get(dossier.pk),
            "answered": answered.get(dossier.pk, []),
            "can_upload": dossier.state in ACTIVE_STATES and state is not None,
        }
    return dossiers
