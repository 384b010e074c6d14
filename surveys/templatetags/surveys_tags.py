from django import template
from django.utils import timezone

from surveys.enums import HORIZON_MONTHS, Horizon
from surveys.schedule import CALL_LIST_DAYS, add_months

register = template.Library()


@register.simple_tag
def surveys_summary(dossier):
    """For the dossier page: each horizon's due date, survey and response (empty before the return)."""
    stay = getattr(dossier, "stay", None)
    if stay is None or stay.return_date is None:
        return {"started": False}
    today = timezone.localdate()
    surveys = {s.horizon: s for s in dossier.surveys.select_related("response__entered_by")}
    rows = []
    for horizon, label in Horizon.choices:
        if horizon == Horizon.RETURN:
            due = stay.review_date
        else:
            due = add_months(stay.return_date, HORIZON_MONTHS[horizon])
        survey = surveys.get(horizon)
        response = getattr(survey, "response", None) if survey is not None else None
        rows.append({
            "horizon": horizon, "label": label, "due": due, "survey": survey, "response": response,
            "enterable": response is None and (horizon == Horizon.RETURN or due <= today),
            "late": survey is not None and response is None and (today - survey.due_date).days >= CALL_LIST_DAYS,
        })
    return {"started": True, "rows": rows}
