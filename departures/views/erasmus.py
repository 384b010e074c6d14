"""Erasmus+ pages: the platform's identity (OID, sending city), the budget of a funding agreement
(beside its places; CSV, XLSX, PDF) and the grant of one stay with its payments."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ipm.access import capability_required

from ..budget import budget, grant_for_stay
from ..documents import europass_pdf, learning_agreement_pdf
from ..forms import GrantPaymentForm, PlatformForm
from ..models import FundingAgreement, GrantPayment, Platform, Stay
from .common import form_page, visible_dossier


@capability_required("manage_schemes")
def platform_edit(request):
    form = PlatformForm(request.POST or None, instance=Platform.get())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Identité Erasmus+ de la plateforme enregistrée.")
        return redirect(reverse("departures:funding"))
    return form_page(request, None, form, "La plateforme à l'agence Erasmus+", "Enregistrer",
                     intro="L'OID de la plateforme (organisation d'envoi) et sa ville, point de départ du calcul "
                           "des distances.", extra={"cancel_url": reverse("departures:funding")})


@capability_required("read_all")
def budget_page(request, pk):
    agreement = get_object_or_404(FundingAgreement.objects.select_related("scheme"), pk=pk)
    return render(request, "departures/budget.html", {"agreement": agreement, "budget": budget(agreement)})


@capability_required("read_all")
def budget_download(request, pk, fmt):
    from reporting import erasmus_budget, renderers

    if fmt not in renderers.FORMATS:
        raise Http404("Format inconnu.")
    agreement = get_object_or_404(FundingAgreement.objects.select_related("scheme"), pk=pk)
    response = HttpResponse(renderers.render(erasmus_budget.report(agreement), fmt, request),
                            content_type=renderers.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{erasmus_budget.filename(agreement, fmt)}"'
    return response


@capability_required("casework")
def grant(request, pk):
    dossier = visible_dossier(request, pk)
    stay = get_object_or_404(Stay.objects.select_related("scheme", "host", "dossier__youth"), dossier=dossier)
    form = GrantPaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        payment = form.save(commit=False)
        payment.stay = stay
        payment.recorded_by = request.user
        payment.save()
        messages.success(request, "Versement de la bourse enregistré.")
        return redirect(reverse("departures:grant", args=[dossier.pk]))
    agreement, calculation = grant_for_stay(stay)
    payments = GrantPayment.objects.filter(stay=stay)
    return render(request, "departures/grant.html", {
        "dossier": dossier, "youth": dossier.youth, "stay": stay, "agreement": agreement, "grant": calculation,
        "payments": payments, "paid": sum(p.amount for p in payments), "form": form,
    })


DOCUMENTS = {
    "contrat-pedagogique": (learning_agreement_pdf, "contrat-pedagogique"),
    "europass": (europass_pdf, "europass-mobilite"),
}


@capability_required("read_all", "submit_referral")
def mobility_document(request, pk, kind):
    """A draft learning agreement (before the stay) or Europass Mobility (after it), from the dossier page."""
    if kind not in DOCUMENTS:
        raise Http404("Document inconnu.")
    dossier = visible_dossier(request, pk)
    stay = get_object_or_404(Stay.objects.select_related("scheme", "host", "dossier__youth"), dossier=dossier)
    render_pdf, name = DOCUMENTS[kind]
    response = HttpResponse(render_pdf(stay), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{dossier.pk}.pdf"'
    return response
