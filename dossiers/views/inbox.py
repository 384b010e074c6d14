"""The platform's lists of dossiers: the inbox (every dossier, with search and filters) and the work
lists per stage."""
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from ipm.access import capability_required, has_capability
from ipm.lists import paginate
from referrals.forms import DossierFilterForm
from referrals.meeting_enums import WHEEL_INFO_KINDS
from referrals.models import Structure

from .. import services
from ..models import Dossier
from ..queries import filter_dossiers, list_queryset, newest_first
from ..workflow import State


def _invite_meetings(user):
    """Upcoming information meetings proposed for the bulk invitation (staff only)."""
    if not has_capability(user, "casework"):
        return []
    from referrals.views.meetings import upcoming_meetings

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


WORKLISTS = [
    ("a_inviter", "À inviter", "Fiches reçues : à inviter en information collective"),
    ("diagnostics", "Diagnostics à faire", "Information collective faite : diagnostic à réaliser"),
    ("incomplets", "Dossiers incomplets", "En montage : des pièces manquent ou restent à valider"),
    ("commission", "Prêts pour la commission", "Dossiers complets (ou ajournés) à inscrire en commission"),
    ("orientes", "Orientés à recontacter", "Jeunes orientés dont la date de retour envisagée est atteinte (ou non fixée)"),
    ("a_clore", "Suivis à clore",
     "En suivi, contact du 6ᵉ mois fait (souvent la réponse du jeune par son lien) : vérifier puis clore le dossier"),
    ("retours", "Retours à enregistrer",
     "Séjours dont la fin prévue est passée sans retour enregistré (plus aucun rappel Europass) : enregistrer le retour"),
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
        "retours": base.filter(state=State.ABROAD, stay__return_date__isnull=True,
                               stay__planned_end__lt=timezone.localdate()).order_by("stay__planned_end", "id"),
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
