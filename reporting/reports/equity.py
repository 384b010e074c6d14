"""equity — where the chances are unequal: per department and per structure (mission locale…), the fiches
received and the departures of the period, departures per 100 fiches and — where a manager entered the
population aged 16 to 25 of the department — departures per 10,000 young people and how many times fewer
than the best department. The page draws the map of the departments coloured by that rate."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, F

from referrals.models import Structure

from .. import department_map
from ..models import PopulationFigure
from .common import Column, HEADING, TOTAL, Figure, Report, Row, in_years, pct

NAME = "equity"
TITLE = "Équité territoriale"
SUMMARY = "Fiches et départs par département et par structure, départs pour 10 000 jeunes de 16 à 25 ans, carte."

NO_DEPARTMENT = "non renseigné"
# The map's classes: the department's rate as a share of the best department's (colour-blind-safe
# sequential palette, ColorBrewer YlGnBu), then the departments without population data.
CLASSES = [
    ("c4", Fraction(3, 4), "au moins 75 % du meilleur taux", "#225ea8"),
    ("c3", Fraction(1, 2), "de 50 à 75 % du meilleur taux", "#41b6c4"),
    ("c2", Fraction(1, 4), "de 25 à 50 % du meilleur taux", "#a1dab4"),
    ("c1", Fraction(0), "moins de 25 % du meilleur taux", "#ffffcc"),
]
NO_DATA = ("none", "pas de donnée (population non saisie)", "#d9d9d9")


def _decimal(value):
    return Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)


def _one_decimal(value):
    return Figure(_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def map_class(rate, best):
    """The class of a department of rate ``rate`` (None: no population data) when the best is ``best``."""
    if rate is None:
        return NO_DATA[0]
    share = rate / best if best else Fraction(0)
    return next(code for code, low, _label, _colour in CLASSES if share >= low)


def populations(year):
    """{department: PopulationFigure} for ``year``: each department's figure of that year, else its latest
    before, else its earliest after."""
    chosen = {}
    for figure in PopulationFigure.objects.order_by("department", "year"):
        current = chosen.get(figure.department)
        if current is None or figure.year <= year:
            chosen[figure.department] = figure
    return chosen


def _counts(filters, years):
    fiches = in_years(filters.dossiers(), "received_on", years)
    stays = in_years(filters.stays(), "departure_date", years)
    received = {r["sid"]: r["n"] for r in fiches.values(sid=F("structure_id")).annotate(n=Count("pk")).order_by()}
    left = {r["sid"]: r["n"] for r in stays.values(sid=F("dossier__structure_id")).annotate(n=Count("pk")).order_by()}
    return received, left


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    received, left = _counts(filters, years)
    structures = sorted(Structure.objects.filter(pk__in=set(received) | set(left)), key=lambda s: s.name.casefold())
    figures = populations(years[-1])
    names = department_map.department_names()
    departments = {}
    for structure in structures:
        code = department_map.normalise(structure.department) or NO_DEPARTMENT
        totals = departments.setdefault(code, [0, 0])
        totals[0] += received.get(structure.pk, 0)
        totals[1] += left.get(structure.pk, 0)
    scoped = filters.structure or filters.department or filters.restricted_structure
    if not scoped:
        for code in figures:
            departments.setdefault(code, [0, 0])
    rates = {code: Fraction(departments[code][1] * 10000, figures[code].population)
             for code in departments if code in figures and figures[code].population}
    best = max(rates.values(), default=None)
    rows = [Row(["Départements"], HEADING)]
    for code in sorted(departments, key=lambda c: (c == NO_DEPARTMENT, c)):
        n_fiches, n_left = departments[code]
        rate = rates.get(code)
        figure = figures.get(code)
        ratio = _one_decimal(best / rate) if rate else None
        rows.append(Row([names.get(code, code), "" if code == NO_DEPARTMENT else code, n_fiches, n_left, pct(n_left, n_fiches),
                         figure.population if figure else None, _one_decimal(rate) if rate is not None else None,
                         ratio]))
    rows.append(Row(["Structures"], HEADING))
    for structure in structures:
        n_fiches, n_left = received.get(structure.pk, 0), left.get(structure.pk, 0)
        code = department_map.normalise(structure.department)
        rows.append(Row([structure.name, code, n_fiches, n_left, pct(n_left, n_fiches), None, None, None]))
    all_fiches, all_left = sum(received.values()), sum(left.values())
    rows.append(Row(["Total", "", all_fiches, all_left, pct(all_left, all_fiches), None, None, None], TOTAL))
    return Report(
        NAME, TITLE,
        [Column("territoire", "Territoire"), Column("departement", "Département"), Column("fiches", "Fiches"),
         Column("departs", "Départs"), Column("departs_pour_100_fiches", "Départs pour 100 fiches"),
         Column("population_16_25", "Population des 16-25 ans"),
         Column("departs_pour_10000_jeunes", "Départs pour 10 000 jeunes"),
         Column("rapport_au_meilleur", "Rapport au meilleur")],
        rows, years, filters.describe(), None,
        labels={NO_DEPARTMENT: "Département non renseigné"},
        map=_map(rates, best, figures),
        notes=["Fiches : dossiers dont la fiche a été reçue dans la période ; départs : séjours commencés dans la "
               "période (comme le rapport des départs), rattachés au département de la structure prescriptrice. "
               "Départs pour 10 000 jeunes : départs de la période rapportés à la population des 16-25 ans du "
               "département saisie par un gestionnaire (celle de la dernière année de la période, sinon la plus "
               "récente). Rapport au meilleur : combien de fois moins de départs par jeune que le département le "
               "mieux placé (1,0 pour celui-ci ; vide sans départ ou sans population)."],
    )


def _map(rates, best, figures):
    """What the page needs to draw the map: each department's outline and class, the legend."""
    found = department_map.outlines()
    if found is None:
        return None
    viewbox, outlines = found
    areas = []
    for code, name, path in outlines:
        rate = rates.get(code)
        cls = map_class(rate, best) if code in figures else NO_DATA[0]
        if cls == NO_DATA[0]:
            label = f"{name} ({code}) : pas de donnée"
        else:
            label = f"{name} ({code}) : {str(_one_decimal(rate)).replace('.', ',')} départs pour 10 000 jeunes"
        fill = "url(#map-no-data)" if cls == NO_DATA[0] else next(c[3] for c in CLASSES if c[0] == cls)
        areas.append({"code": code, "name": name, "path": path, "cls": cls, "label": label, "fill": fill})
    counts = {}
    for area in areas:
        counts[area["cls"]] = counts.get(area["cls"], 0) + 1
    legend = [{"cls": code, "label": label, "colour": colour, "count": counts.get(code, 0)}
              for code, _low, label, colour in CLASSES]
    legend.append({"cls": NO_DATA[0], "label": NO_DATA[1], "colour": NO_DATA[2], "count": counts.get(NO_DATA[0], 0)})
    best_label = str(_one_decimal(best)).replace(".", ",") if best else ""
    return {"viewbox": viewbox, "areas": areas, "legend": legend, "best": best_label,
            "classes": {area["code"]: area["cls"] for area in areas}}
