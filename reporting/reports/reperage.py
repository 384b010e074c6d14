"""reperage — the outreach cohorts: the young people *repérés* (unknown to their mission locale, found
through an « aller-vers » action) and *réactivés* (back in touch after at least six months without
contact), for the dossiers whose fiche was received in the period, per structure: how many, the share of
minors at the fiche's date, and how many of each cohort reached each step of the funnel."""
from django.db.models import Count

from dossiers.enums import OUTREACH_ORIGINS, Origin
from referrals.models import Structure

from .common import HEADING, TOTAL, Report, Row, annotate_age, in_years, pct
from .funnel import FUNNEL_STEPS, funnel_counts

NAME = "reperage"
TITLE = "Repérage des jeunes (repérés et réactivés)"
SUMMARY = "Les jeunes repérés et réactivés par structure : part de mineurs et étapes atteintes de la fiche au départ."

COHORTS = list(OUTREACH_ORIGINS)
# The rows of each block: the funnel's steps, the minors after the distinct young people.
STEPS = [*FUNNEL_STEPS[:2], ("minors", "mineurs à la date de la fiche"), *FUNNEL_STEPS[2:]]
ALL_STRUCTURES = "Toutes les structures"


def _minors(cohort, group):
    """{key: dossiers of ``cohort`` whose young person was under 18 on the fiche's date}."""
    minors = annotate_age(cohort, "youth__birth_date", "received_on").filter(age__lt=18)
    if not group:
        return {(): minors.count()}
    return {tuple(item[name] for name in group): item["n"]
            for item in minors.values(*group).annotate(n=Count("pk")).order_by()}


def _figures(cohort, group):
    """{key: {step: count}} with the minors, ``key`` ending with the cohort (the dossier's origin)."""
    counts = funnel_counts(cohort, group)
    minors = _minors(cohort, group)
    for key, figures in counts.items():
        figures["minors"] = minors.get(key, 0)
    return counts


def _block(label, figures_of, kind):
    """The rows of one structure (or of all): per step, each cohort's number and its share of the cohort's
    fiches."""
    rows = []
    for step, _label in STEPS:
        cells = [label, step]
        for origin in COHORTS:
            figures = figures_of(origin)
            cells += [figures.get(step, 0), pct(figures.get(step, 0), figures.get("fiches", 0))]
        rows.append(Row(cells, kind))
    return rows


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    cohort = in_years(dossiers, "received_on", years).filter(origin__in=COHORTS)
    per_structure = _figures(cohort, ("structure_id", "origin"))
    overall = _figures(cohort, ("origin",))
    structures = Structure.objects.filter(pk__in={key[0] for key in per_structure}).order_by("name")
    rows = []
    for structure in structures:
        rows.append(Row([structure.name], HEADING))
        rows += _block(structure.name, lambda origin, pk=structure.pk: per_structure.get((pk, origin), {}), "data")
    rows.append(Row([ALL_STRUCTURES], HEADING))
    rows += _block(ALL_STRUCTURES, lambda origin: overall.get((origin,), {}), TOTAL)
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [label for _step, label in STEPS],
        "datasets": [
            {"label": Origin(origin).label, "data": [overall.get((origin,), {}).get(step, 0) for step, _l in STEPS]}
            for origin in COHORTS
        ],
    }
    return Report(
        NAME, TITLE, ["structure", "etape", "reperes", "reperes_pct", "reactives", "reactives_pct"],
        rows, years, filters.describe(), chart,
        labels={**dict(STEPS)},
        notes=["Dossiers dont la fiche a été reçue dans la période et dont le jeune est venu repéré (inconnu de la "
               "mission locale, trouvé par une action d'aller-vers) ou réactivé (sans contact avec sa mission locale "
               "depuis au moins six mois). Mineurs : moins de 18 ans à la date de la fiche. Chaque étape compte, "
               "comme le rapport « De la fiche au départ », les dossiers dont l'historique l'atteint ; pourcentages : "
               "part des fiches de la cohorte."],
    )
