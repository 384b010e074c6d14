"""The « aller-vers » actions (outreach cohorts): a list managers keep, chosen on the fiches of the young
people repérés or réactivés. An action a fiche names is never deleted."""
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ipm.access import capability_required
from ipm.lists import paginate
from ipm.submission import save_once

from ..enums import OutreachKind
from ..models import OutreachAction
from ..outreach_forms import OutreachActionForm

TEMPLATES = "referrals/outreach/"


@capability_required("manage_schemes")
def action_list(request):
    actions = OutreachAction.objects.select_related("structure").annotate(used=Count("referrals"))
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    if q:
        actions = actions.filter(Q(name__icontains=q) | Q(structure__name__icontains=q))
    if kind in OutreachKind.values:
        actions = actions.filter(kind=kind)
    context = {"q": q, "kind": kind, "kinds": OutreachKind.choices}
    context.update(paginate(request, actions.order_by("name", "pk")))
    return render(request, TEMPLATES + "list.html", context)


@capability_required("manage_schemes")
def action_edit(request, pk=None):
    action = get_object_or_404(OutreachAction, pk=pk) if pk else OutreachAction()
    form = OutreachActionForm(request.POST or None, instance=action)
    back = reverse("referrals:outreach_actions")
    # A new action is created once, however many times it is sent.
    if response := save_once(request, form, back=back,
                             success=lambda saved, _: f"Action « {saved.name} » enregistrée."):
        return response
    title = f"Modifier l'action « {action.name} »" if action.pk else "Nouvelle action d'aller-vers"
    return render(request, TEMPLATES + "form.html", {"form": form, "object": action, "title": title,
                                                     "cancel_url": back})


@capability_required("manage_schemes")
def action_delete(request, pk):
    """Deleting asks first; an action named on a fiche is never deleted."""
    action = get_object_or_404(OutreachAction, pk=pk)
    used = action.referrals.count()
    refusal = ""
    if used:
        refusal = (f"L'action « {action.name} » ne peut pas être supprimée : {used} fiche{'s' if used > 1 else ''} "
                   f"de liaison la nomme{'nt' if used > 1 else ''}. Renommez-la si besoin.")
    if request.method == "POST":
        if not used:
            action.delete()
            messages.success(request, f"Action « {action.name} » supprimée.")
            return redirect("referrals:outreach_actions")
        messages.error(request, refusal)
        return redirect(request.path)
    return render(request, TEMPLATES + "confirm_delete.html", {
        "object": action, "refusal": refusal, "title": f"Supprimer l'action « {action.name} » ?",
        "cancel_url": reverse("referrals:outreach_actions"),
    })
