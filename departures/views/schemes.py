"""Schemes and their funding agreements: the places granted, used and left per scheme and year."""
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipm.access import capability_required
from ipm.lists import paginate
from ipm.submission import save_once

from .. import services
from ..forms import FundingAgreementForm, SchemeForm, YearForm
from ..models import FundingAgreement, QuotaOverrun, Scheme
from .common import form_page


def _year(request):
    year = timezone.localdate().year
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = year
    form = YearForm(data)
    scheme = None
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        scheme = form.cleaned_data.get("scheme")
    return form, year, scheme


@capability_required("read_all")
def funding_list(request):
    form, year, scheme = _year(request)
    agreements = FundingAgreement.objects.filter(year=year).select_related("scheme")
    if scheme:
        agreements = agreements.filter(scheme=scheme)
    rows = services.quota_summary(year)
    if scheme:
        rows = [row for row in rows if row.scheme == scheme]
    context = {"form": form, "year": year, "rows": rows, "overruns": None}
    context.update(paginate(request, agreements.order_by("scheme__name", "funder")))
    context["overruns"] = QuotaOverrun.objects.filter(year=year).select_related("dossier__youth", "scheme", "confirmed_by")
    return render(request, "departures/funding_list.html", context)


@capability_required("manage_schemes")
def funding_edit(request, pk=None):
    agreement = get_object_or_404(FundingAgreement, pk=pk) if pk else FundingAgreement()
    form = FundingAgreementForm(request.POST or None, instance=agreement)
    # A new agreement is created once, however many times it is sent; then the list of its year.
    if response := save_once(request, form, back=reverse("departures:funding"),
                             done_url=lambda saved: reverse("departures:funding") + f"?year={saved.year}",
                             success=lambda *_: "Convention de financement enregistrée."):
        return response
    title = "Modifier la convention de financement" if agreement.pk else "Nouvelle convention de financement"
    return form_page(request, None, form, title, "Enregistrer", extra={
        "cancel_url": reverse("departures:funding"), "delete_url": _delete_url(agreement),
        "delete_question": "Supprimer définitivement cette convention de financement ?",
    })


def _delete_url(agreement):
    if agreement.pk:
        return reverse("departures:funding_delete", args=[agreement.pk])
    return ""


@require_POST
@capability_required("manage_schemes")
def funding_delete(request, pk):
    agreement = get_object_or_404(FundingAgreement, pk=pk)
    year = agreement.year
    agreement.delete()
    messages.success(request, "Convention de financement supprimée.")
    return redirect(reverse("departures:funding") + f"?year={year}")


@capability_required("read_all")
def scheme_list(request):
    schemes = Scheme.objects.annotate(
        dossier_count=Count("dossiers", distinct=True),
    ).order_by("-active", "name")
    q = request.GET.get("q", "").strip()
    if q:
        schemes = schemes.filter(name__icontains=q)
    context = {"q": q, "has_checklist": _has_checklist()}
    context.update(paginate(request, schemes))
    return render(request, "departures/scheme_list.html", context)


def _has_checklist():
    try:
        from dossiers.models import DocumentType  # noqa: F401
    except ImportError:
        return False
    return True


@capability_required("manage_schemes")
def scheme_edit(request, pk=None):
    scheme = get_object_or_404(Scheme, pk=pk) if pk else Scheme()
    form = SchemeForm(request.POST or None, instance=scheme)
    # A new scheme is created once; sent again, the name it created is taken: lead to the list.
    if response := save_once(request, form, back=reverse("departures:schemes"),
                             success=lambda saved, _: f"Dispositif « {saved.name} » enregistré."):
        return response
    title = f"Modifier le dispositif « {scheme.name} »" if scheme.pk else "Nouveau dispositif"
    checklist = scheme.document_types.all() if scheme.pk and hasattr(scheme, "document_types") else None
    return form_page(request, None, form, title, "Enregistrer",
                     extra={"cancel_url": reverse("departures:schemes"), "checklist": checklist, "scheme": scheme})
