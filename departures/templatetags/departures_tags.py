from django import template
from django.utils import timezone

from dossiers.workflow import CONTRACT_STATES, DEPARTURE_STAGE_STATES, FINAL_STATES, State
from referrals.meeting_enums import MeetingKind
from referrals.views.meetings import upcoming_meetings
from referrals.models import Invitation

from .. import services
from ..models import CoPayment, Stay

register = template.Library()


@register.inclusion_tag("departures/_quota_panel_content.html", takes_context=True)
def quota_panel(context, year=None):
    year = int(year) if year else timezone.localdate().year
    return {"year": year, "rows": services.quota_summary(year), "request": context.get("request")}


@register.inclusion_tag("departures/_dossier_panel_content.html", takes_context=True)
def departure_panel(context, dossier):
    can = context.get("can") or {}
    # From the commission to the return; once the wheel is over, only if something was recorded. Before
    # the commission there is nothing to show, so nothing is read.
    in_stage = dossier.state in DEPARTURE_STAGE_STATES
    if not in_stage and dossier.state not in FINAL_STATES:
        return {"show": False}
    stay = Stay.objects.filter(dossier=dossier).select_related("host", "scheme").first()
    contracts = list(dossier.contracts.select_related("generated_by", "online_acceptance").order_by("-version"))
    copayment = CoPayment.objects.filter(dossier=dossier).first()
    show = in_stage or bool(stay or contracts or copayment)
    if not show:
        return {"show": False}
    data = {
        "show": show, "dossier": dossier, "can": can, "stay": stay, "contracts": contracts,
        "latest_contract": contracts[0] if contracts else None, "copayment": copayment,
        "visits": list(stay.visits.select_related("visited_by")) if stay else [],
        "incidents": list(stay.incidents.select_related("recorded_by")) if stay else [],
        "State": {s.name: s.value for s in State},
        "quota_row": None, "preparation": [], "preparation_meetings": None,
    }
    data["preparation"] = list(
        Invitation.objects.filter(dossier=dossier, meeting__kind=MeetingKind.PREPARATION).select_related("meeting")
        .order_by("-meeting__date")
    )
    if can.get("casework") and dossier.state in CONTRACT_STATES:
        data["preparation_meetings"] = list(upcoming_meetings([MeetingKind.PREPARATION]))
        data["request"] = context.get("request")
        data["csrf_token"] = context.get("csrf_token")
    if dossier.state == State.IN_COMMISSION and dossier.scheme_id:
        data["quota_row"] = services.quota_for(dossier.scheme)
    return data
