from django import template

from dossiers.workflow import CLOSABLE_STATES, FOLLOWUP_STATES, State

from ..enums import Situation, latest_situation, outcome_of
from ..calls import due_date

register = template.Library()


@register.simple_tag
def followup_summary(dossier):
    """The six months of a dossier's follow-up (a call, or the date it will fall due) and its outcome."""
    calls = {c.month: c for c in dossier.followup_calls.all()}
    stay = getattr(dossier, "stay", None)
    return_date = getattr(stay, "return_date", None)
    months = []
    for month in range(1, 7):
        months.append({
            "month": month,
            "call": calls.get(month),
            "due": calls[month].due_date if month in calls else (due_date(return_date, month) if return_date else None),
        })
    situations = {m: c.situation for m, c in calls.items() if c.reached and c.situation}
    final, positive = outcome_of(situations)
    latest_month, latest = latest_situation(situations)
    return {
        "months": months,
        "return_date": return_date,
        "started": bool(calls) or dossier.state in FOLLOWUP_STATES,
        "final": Situation(final).label if final else "",
        "positive": positive,
        "latest": Situation(latest).label if latest else "",
        "latest_month": latest_month,
        "closable": dossier.state in CLOSABLE_STATES and 6 in calls,
        "closed": dossier.state == State.CLOSED,
    }
