"""The population aged 16 to 25 per department and year, entered by managers with its source: the
denominator of the territorial equity report (no figure is shipped: a manager enters the official one)."""
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ipm.access import capability_required
from ipm.lists import paginate
from ipm.submission import save_once

from .department_map import department_names
from .forms import PopulationFigureForm
from .models import PopulationFigure


@capability_required("manage_schemes")
def population_list(request):
    figures = PopulationFigure.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        codes = [code for code, name in department_names().items() if q.casefold() in name.casefold()]
        figures = figures.filter(Q(department__iexact=q) | Q(department__in=codes) | Q(source__icontains=q))
    context = {"q": q, "names": department_names()}
    context.update(paginate(request, figures.order_by("department", "-year")))
    for figure in context["object_list"]:
        figure.department_name = context["names"].get(figure.department, "")
    return render(request, "reporting/population_list.html", context)


@capability_required("manage_schemes")
def population_edit(request, pk=None):
    figure = get_object_or_404(PopulationFigure, pk=pk) if pk else PopulationFigure()
    form = PopulationFigureForm(request.POST or None, instance=figure)
    back = reverse("reporting:population")
    # A new figure is recorded once, however many times it is sent.
    if response := save_once(request, form, back=back, success=lambda saved, _: (
            f"Population du département {saved.department} pour {saved.year} enregistrée.")):
        return response
    title = (f"Modifier la population du département {figure.department} ({figure.year})" if figure.pk
             else "Saisir la population d'un département")
    return render(request, "reporting/population_form.html", {"form": form, "object": figure, "title": title,
                                                              "cancel_url": back})


@capability_required("manage_schemes")
def population_delete(request, pk):
    """Deleting asks first: the equity report then has no rate for that department and year."""
    figure = get_object_or_404(PopulationFigure, pk=pk)
    if request.method == "POST":
        figure.delete()
        messages.success(request, f"Population du département {figure.department} pour {figure.year} supprimée.")
        return redirect("reporting:population")
    return render(request, "reporting/population_delete.html", {
        "object": figure, "title": f"Supprimer la population du département {figure.department} ({figure.year}) ?",
        "cancel_url": reverse("reporting:population"),
    })
