from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ipm.access import capability_required, get_visible_dossier, visible_dossiers
from ipm.lists import paginate
from referrals.forms import DossierFilterForm
from referrals.models import Structure

from . import workflow
from .queries import filter_dossiers, list_queryset


@capability_required("read_all")
def inbox(request):
    """Platform inbox: every dossier, newest fiches first, with search, filters and pagination."""
    form = DossierFilterForm(request.GET or None, structures=Structure.objects.all())
    dossiers = visible_dossiers(request.user)
    if form.is_bound and form.is_valid():
        dossiers = filter_dossiers(dossiers, form.cleaned_data)
    context = {"form": form}
    context.update(paginate(request, list_queryset(dossiers).order_by("-received_on", "-id")))
    context["new_count"] = visible_dossiers(request.user).filter(state=workflow.State.RECEIVED).count()
    return render(request, "dossiers/inbox.html", context)


@capability_required("read_all", "submit_referral")
def dossier_detail(request, pk):
    dossier = get_visible_dossier(
        request.user, pk,
        visible_dossiers(request.user).select_related(
            "youth", "structure", "referring_counsellor", "platform_counsellor", "scheme"
        ),
    )
    referral = getattr(dossier, "referral", None)
    other_dossiers = (
        visible_dossiers(request.user).filter(youth=dossier.youth).exclude(pk=dossier.pk).select_related("structure")
    )
    context = {
        "dossier": dossier,
        "youth": dossier.youth,
        "referral": referral,
        "events": dossier.events.select_related("actor"),
        "other_dossiers": other_dossiers,
        "transitions": workflow.allowed_transitions(dossier, request.user),
    }
    return render(request, "dossiers/dossier_detail.html", context)


@require_POST
@capability_required("casework")
def dossier_transition(request, pk):
    dossier = get_visible_dossier(request.user, pk)
    target = request.POST.get("target", "")
    if target not in workflow.State.values:
        messages.error(request, "Action inconnue : rechargez la page et réessayez.")
        return redirect(dossier)
    try:
        workflow.apply_transition(
            dossier, target, request.user, comment=request.POST.get("comment", "").strip(),
            expected_source=request.POST.get("source") or None,
        )
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier passé à l'étape « {dossier.state_label} ».")
    return redirect(dossier)
