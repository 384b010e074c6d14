"""RGPD pages on a dossier: the subject-access export (JSON, PDF) and the erasure (anonymisation)."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from privacy import rgpd
from ipm.access import capability_required
from dossiers.models import Dossier
from dossiers.workflow import FINAL_STATES


@capability_required("rgpd_export")
def export(request, pk, fmt):
    """Everything held on the dossier's young person (all their dossiers), as JSON or PDF."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    youth = dossier.youth
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        response = HttpResponse(rgpd.export_json(youth, request.user), content_type="application/json; charset=utf-8")
    elif fmt == "pdf":
        response = HttpResponse(rgpd.export_pdf(youth, request.user), content_type="application/pdf")
    else:
        raise Http404("Format inconnu.")
    response["Content-Disposition"] = f'attachment; filename="donnees-jeune-{youth.pk}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@capability_required("rgpd_erase")
def erase(request, pk):
    """Anonymise the dossier's young person — refused while one of their dossiers is still open."""
    dossier = Dossier.objects.get_visible(request.user, pk=pk)
    youth = dossier.youth
    open_dossiers = youth.dossiers.exclude(state__in=FINAL_STATES).count()
    if open_dossiers:
        messages.error(request, f"Anonymisation refusée : {open_dossiers} dossier(s) de ce jeune sont encore en cours. "
                                "Clôturez-les (étape « Clos » ou « Abandon ») puis recommencez.")
        return redirect(dossier)
    if rgpd.anonymise_youth(youth) is None:
        messages.info(request, "Ce jeune était déjà anonymisé.")
    else:
        messages.success(request, "Données personnelles effacées : le jeune est anonymisé dans tous ses dossiers. "
                                  "Les chiffres des rapports sont inchangés.")
    return redirect(dossier)
