"""Host organisations: list, detail (the young people each has hosted), create and edit."""
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ipm.access import capability_required
from ipm.lists import paginate
from ipm.submission import AlreadySubmitted, add_token_field, submitted_once
from ipm.text import fold

from ..forms import HostFilterForm, HostOrganisationForm
from ..models import HostOrganisation
from .common import form_page, visible_stays


@capability_required("read_all")
def host_list(request):
    form = HostFilterForm(request.GET or None)
    hosts = HostOrganisation.objects.annotate(hosted=Count("stays", distinct=True))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            hosts = hosts.filter(Q(name__icontains=data["q"]) | Q(town__icontains=data["q"]))
        if data.get("sector"):
            hosts = hosts.filter(sector__icontains=data["sector"])
        if data.get("country"):
            from django_countries import countries

            term = data["country"].strip()
            codes = [code for code, name in countries if fold(term) in fold(name)] + [term.upper()]
            hosts = hosts.filter(country__in=codes)
    context = {"form": form}
    context.update(paginate(request, hosts.order_by("-active", "name")))
    return render(request, "departures/host_list.html", context)


@capability_required("read_all")
def host_detail(request, pk):
    host = get_object_or_404(HostOrganisation, pk=pk)
    stays = visible_stays(request.user).filter(host=host).order_by("-planned_start", "-departure_date")
    return render(request, "departures/host_detail.html", {"host": host, "stays": stays})


@capability_required("casework")
def host_edit(request, pk=None):
    host = get_object_or_404(HostOrganisation, pk=pk) if pk else HostOrganisation()
    form = HostOrganisationForm(request.POST or None, instance=host)
    if host.pk is None:
        add_token_field(form)  # a new host organisation is created once, however many times it is sent
    if request.method == "POST":
        if form.is_valid():
            try:
                with submitted_once(request, form) as submission:
                    host = form.save()
                    submission.done(host)
            except AlreadySubmitted as duplicate:
                return duplicate.redirect(request, reverse("departures:hosts"))
            messages.success(request, f"Structure d'accueil « {host.name} » enregistrée.")
            return redirect(host)
    title = f"Modifier « {host.name} »" if host.pk else "Nouvelle structure d'accueil"
    return form_page(request, None, form, title, "Enregistrer",
                     extra={"cancel_url": host.get_absolute_url() if host.pk else reverse("departures:hosts")})
