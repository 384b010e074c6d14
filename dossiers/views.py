from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipm.access import can_see_sensitive, capability_required, has_capability
from ipm.lists import paginate
from referrals.forms import DossierFilterForm
from referrals.meeting_enums import WHEEL_INFO_KINDS
from referrals.models import Invitation, Structure

from . import services, transitions, workflow
from .models import CommissionReview, Dossier
from .queries import filter_dossiers, list_queryset, newest_first
from .workflow import AGENDA_STATES, State


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


def _invite_meetings(user):
    """Upcoming information meetings proposed for the bulk invitation (staff only)."""
    if not has_capability(user, "casework"):
        return []
    from referrals.meeting_views import upcoming_meetings

    return list(upcoming_meetings(WHEEL_INFO_KINDS))


@capability_required("read_all")
def inbox(request):
    """Platform inbox: every dossier, newest fiches first, with search, filters and pagination."""
    form = DossierFilterForm(request.GET or None, structures=Structure.objects.all())
    dossiers = Dossier.objects.visible_to(request.user)
    data = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        dossiers = filter_dossiers(dossiers, data)
    context = {"form": form}
    context.update(paginate(request, newest_first(list_queryset(dossiers), data)))
    context["new_state"] = State.RECEIVED
    context["new_count"] = Dossier.objects.visible_to(request.user).filter(state=State.RECEIVED).count()
    context["invite_meetings"] = _invite_meetings(request.user)
    context["selectable"] = bool(context["invite_meetings"])
    return render(request, "dossiers/inbox.html", context)


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


WORKLISTS = [
    ("a_inviter", "À inviter", "Fiches reçues : à inviter en information collective"),
    ("diagnostics", "Diagnostics à faire", "Information collective faite : diagnostic à réaliser"),
    ("incomplets", "Dossiers incomplets", "En montage : des pièces manquent ou restent à valider"),
    ("commission", "Prêts pour la commission", "Dossiers complets (ou ajournés) à inscrire en commission"),
    ("orientes", "Orientés à recontacter", "Jeunes orientés dont la date de retour envisagée est atteinte (ou non fixée)"),
    ("a_clore", "Suivis à clore",
     "En suivi, contact du 6ᵉ mois fait (souvent la réponse du jeune par son lien) : vérifier puis clore le dossier"),
]


@capability_required("read_all")
def worklists(request):
    """Work lists per stage for platform staff."""
    name = request.GET.get("liste", "a_inviter")
    if name not in {key for key, _label, _title in WORKLISTS}:
        name = "a_inviter"
    base = list_queryset(Dossier.objects.visible_to(request.user))
    # Complete or not is decided in the database (services.missing_piece_condition, same rules as
    # bulk_completeness): the ~9,000 dossiers in montage of a busy platform are not loaded.
    missing_piece = services.missing_piece_condition()
    building = base.filter(state=State.FILE_BUILDING)
    querysets = {
        "a_inviter": base.filter(state=State.RECEIVED).order_by("received_on", "id"),
        "diagnostics": base.filter(state=State.INFO_DONE).order_by("state_changed_at", "id"),
        "incomplets": building.filter(missing_piece).order_by("state_changed_at", "id"),
        "commission": base.filter(
            Q(state=State.POSTPONED) | (Q(state=State.FILE_BUILDING) & ~missing_piece)
        ).order_by("state_changed_at", "id"),
        "orientes": base.filter(state=State.ORIENTED).filter(
            Q(diagnostic__come_back_on__lte=timezone.localdate()) | Q(diagnostic__come_back_on__isnull=True)
        ).order_by("state_changed_at", "id"),
        # A counsellor recording month 6 closes the dossier at once; the young person's own answer does
        # not (a self-declared situation is checked first): those dossiers wait here.
        "a_clore": base.filter(
            state=State.FOLLOW_UP, followup_calls__month=6, followup_calls__done_at__isnull=False
        ).order_by("state_changed_at", "id"),
    }
    counts = {key: qs.count() for key, qs in querysets.items()}
    context = {
        "lists": [(key, label, counts[key]) for key, label, _title in WORKLISTS],
        "current": name,
        "title": next(title for key, _label, title in WORKLISTS if key == name),
        "invite_meetings": _invite_meetings(request.user) if name == "a_inviter" else [],
    }
    context["selectable"] = bool(context["invite_meetings"])
    context.update(paginate(request, querysets[name]))
    return render(request, "dossiers/worklists.html", context)


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
