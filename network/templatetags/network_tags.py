"""The network's panels on other apps' pages: the dossier page (ambassador status, pairs and their meetings)
and the young person's space (their ambassador status, withdrawal, upcoming participations)."""
from django import template

from dossiers.models import Dossier
from ipm.access import has_capability

from .. import services
from ..models import Ambassador, Pairing
from ..rules import AFTER_RETURN_STATES, CANDIDATE_STATES

register = template.Library()


@register.inclusion_tag("network/_dossier_panel.html", takes_context=True)
def dossier_network(context, dossier):
    user = context["request"].user
    ambassador = Ambassador.objects.visible_to(user).filter(youth=dossier.youth_id).first() \
        if has_capability(user, "ambassadors") else None
    pairings = list(services.pairings_of(dossier, Pairing.objects.visible_to(user)))
    visible = set(Dossier.objects.visible_to(user).filter(
        pk__in={p.candidate_id for p in pairings} | {p.sponsor_id for p in pairings}).values_list("pk", flat=True))
    return {
        "can": context.get("can", {}), "dossier": dossier, "ambassador": ambassador, "pairings": pairings,
        "visible": visible,
        "may_be_ambassador": dossier.state in AFTER_RETURN_STATES and has_capability(user, "casework")
        and not Ambassador.objects.filter(youth=dossier.youth_id, withdrawn_at__isnull=True).exists(),
        "may_be_paired": dossier.state in CANDIDATE_STATES and has_capability(user, "pairing"),
    }


@register.inclusion_tag("network/_space_panel.html")
def space_ambassador(youth):
    ambassador = Ambassador.objects.active().filter(youth=youth).first()
    upcoming = services.participations(ambassador)[0] if ambassador else []
    return {"ambassador": ambassador, "upcoming": upcoming}
