"""The network dashboard, for platform staff and managers."""
from django.shortcuts import render
from django.utils import timezone

from ipm.access import capability_required
from ipm.parsing import parse_id

from .. import dashboard as figures


@capability_required("read_all")
def dashboard(request):
    years = figures.years_offered()
    year = parse_id(request.GET.get("annee"))
    if year not in years:
        year = timezone.localdate().year
    rows, silent = figures.dashboard(year)
    return render(request, "network/dashboard.html", {
        "year": year, "years": years, "rows": rows, "total": figures.totals(rows), "silent": silent,
        "pairs_on": figures.pairs_counted_on(year),
    })
