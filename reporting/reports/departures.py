"""departures — departures (stays that started) per scheme and year of the departure date."""
from django.db.models import Count
from django.db.models.functions import ExtractYear

from .common import TOTAL, Column, Report, Row, in_years, year_columns

NAME = "departures"
TITLE = "Départs par dispositif et par année"
SUMMARY = "Départs par dispositif et par année de départ."
# The columns (CSV key, French title): the scheme, one per year of the period, the total.
FIRST_COLUMN = Column("Dispositif", "Dispositif")
TOTAL_COLUMN = Column("Total", "Total")


def report(filters):
    stays = filters.stays()
    years = filters.years(stays, "departure_date")
    grouped = (
        in_years(stays, "departure_date", years)
        .values("scheme__name", year=ExtractYear("departure_date"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {}
    for item in grouped:
        table.setdefault(item["scheme__name"], {})[item["year"]] = item["n"]
    rows = []
    totals = [0] * len(years)
    for scheme in sorted(table, key=lambda name: name.casefold()):
        counts = [table[scheme].get(year, 0) for year in years]
        totals = [a + b for a, b in zip(totals, counts)]
        rows.append(Row([scheme, *counts, sum(counts)]))
    rows.append(Row(["Total", *totals, sum(totals)], TOTAL))
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": [str(y) for y in years],
        "datasets": [{"label": r.cells[0], "data": r.cells[1:-1]} for r in rows[:-1]],
    }
    return Report(
        NAME, TITLE, [FIRST_COLUMN, *year_columns(years), TOTAL_COLUMN],
        rows, years, filters.describe(), chart,
        notes=["Départs : séjours commencés (date de départ renseignée, séjours interrompus compris), "
               "comptés l'année de la date de départ."],
    )
