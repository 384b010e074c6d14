"""The dossier page (its panels and next actions, read from the workflow table) and the generic action
that applies a transition without a screen of its own."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from ipm.access import can_see_sensitive, capability_required, has_capability
from referrals.models import Invitation

from .. import services, transitions, workflow
from ..models import CommissionReview, Dossier
from ..workflow import AGENDA_STATES, State


def _actions(dossier, user):
    """The next actions of the panel, read from the workflow table: a transition with a screen is a
    link there (or a button posting there, for a one-click screen), deduplicated; the others are
    buttons of the generic action."""
    actions, seen = [], set()
    for transition in workflow.allowed_transitions(dossier, user):
        link = transitions.screen_link(dossier, transition.target)
        if link is None:
            actions.append({"target": transition.target, "label": transition.hint, "confirm": transition.confirm})
        elif link not in seen:
            seen.add(link)
            actions.append({"url": link[0], "label": link[1], "confirm": transition.confirm,
                            "button": transition.button})
    return actions


@capability_required("read_all", "submit_referral")
def dossier_detail(request, pk):
    dossier = Dossier.objects.select_related(
        "youth", "structure", "referring_counsellor", "platform_counsellor", "scheme"
    ).get_visible(request.user, pk=pk)
    referral = getattr(dossier, "referral", None)
    other_dossiers = (
        Dossier.objects.visible_to(request.user).filter(youth=dossier.youth).exclude(pk=dossier.pk).select_related("structure")
    )
    file_state = services.completeness(dossier)
    context = {
        "dossier": dossier,
        "youth": dossier.youth,
        "referral": referral,
        "events": dossier.events.select_related("actor"),
        "other_dossiers": other_dossiers,
        "transitions": _actions(dossier, request.user),
        "staff": has_capability(request.user, "casework"),
        "sees_sensitive": can_see_sensitive(request.user),
        "invitations": Invitation.objects.filter(dossier=dossier).select_related("meeting").order_by("-meeting__date"),
        "diagnostic": getattr(dossier, "diagnostic", None),
        "project": getattr(dossier, "project", None),
        "completeness": file_state,
        "reviews": CommissionReview.objects.filter(dossier=dossier).select_related("session", "postponed_to")
        .order_by("-session__date"),
        "long_haul_warning": services.first_departure_warning(dossier),
        "next_steps": next_steps(dossier, file_state),
    }
    return render(request, "dossiers/dossier_detail.html", context)


def next_steps(dossier, file_state=None):
    """What to do now on this dossier, in plain French (the panel "Prochaine étape"), from the table;
    a file to put on the agenda lists its missing pieces first."""
    if dossier.state in AGENDA_STATES:
        missing = (file_state or services.completeness(dossier)).missing
        if missing:
            return "Pièces à recevoir ou valider : " + ", ".join(line.document_type.name for line in missing) + "."
    return workflow.STATES[State(dossier.state)].next_step


@require_POST
@capability_required("casework")
def dossier_transition(request, pk):
    """The generic action of the dossier page: the transitions of the table that have no screen."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    target = request.POST.get("target", "")
    if target not in State.values:
        messages.error(request, "Action inconnue : rechargez la page et réessayez.")
        return redirect(dossier)
    link = transitions.screen_link(dossier, target)
    if link is not None:
        url, text = link
        move = workflow.transition(dossier.state, target)
        if move.button:  # a one-click screen: its button is on the dossier page
            messages.error(request, f"Cette étape se fait par son bouton « {text} » sur la page du dossier.")
            return redirect(dossier)
        messages.error(request, format_html("Cette étape se fait depuis son écran : <a href=\"{}\">{}</a>.", url, text))
        return redirect(url)
    source = request.POST.get("source") or None
    comment = request.POST.get("comment", "").strip()
    try:
        transitions.apply_transition(dossier, target, request.user, comment=comment, expected_source=source)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier passé à l'étape « {dossier.state_label} ».")
    return redirect(dossier)
