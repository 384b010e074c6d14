"""reperage — the outreach cohorts: the young people *repérés* (unknown to their mission locale, found
through an « aller-vers » action) and *réactivés* (back in touch after at least six months without
contact), for the dossiers whose fiche was received in the period, per structure: how many, the share of
minors at the fiche's date, and how many of each cohort reached each step of the funnel."""
from django.db.models import Count, Q

from dossiers.enums import OUTREACH_ORIGINS, Origin
from .common import Column, HEADING, TOTAL, Report, Row, annotate_age, in_years, pct
from .funnel import FUNNEL_STEPS, funnel_counts

NAME = "reperage"
TITLE = "Repérage des jeunes (repérés et réactivés)"
SUMMARY = "Les jeunes repérés et réactivés par structure : part de mineurs et étapes atteintes de la fiche au départ."

COHORTS = list(OUTREACH_ORIGINS)
# The rows of each block: the funnel's steps, the minors after the distinct young people.
STEPS = [*FUNNEL_STEPS[:2], ("minors", "mineurs à la date de la fiche"), *FUNNEL_STEPS[2:]]
ALL_STRUCTURES = "Toutes les structures"


def _figures(cohort):
    """({(structure name, origin): {step: count}}, {origin: {step: count}}) — the steps of the funnel and the
    minors, per structure and cohort, then per cohort (the sums, but the distinct young people counted
    again: one may have come to two structures)."""
    with_age = annotate_age(cohort, "youth__birth_date", "received_on")
    per_structure = funnel_counts(with_age, ("structure__name", "origin"),
                                  extra={"minors": Count("pk", filter=Q(age__lt=18))})
    overall = {}
    for (_name, origin), figures in per_structure.items():
        totals = overall.setdefault(origin, {})
        for step, value in figures.items():
            totals[step] = totals.get(step, 0) + value
    for item in cohort.values("origin").annotate(n=Count("youth", distinct=True)).order_by():
        overall[item["origin"]]["youths"] = item["n"]
    return per_structure, overall


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
    per_structure, overall = _figures(cohort)
    rows = []
    for name in sorted({key[0] for key in per_structure}, key=str.casefold):
        rows.append(Row([name], HEADING))
        rows += _block(name, lambda origin, name=name: per_structure.get((name, origin), {}), "data")
    rows.append(Row([ALL_STRUCTURES], HEADING))
    rows += _block(ALL_STRUCTURES, lambda origin: overall.get(origin, {}), TOTAL)
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [label for _step, label in STEPS],
        "datasets": [
            {"label": Origin(origin).label, "data": [overall.get(origin, {}).get(step, 0) for step, _l in STEPS]}
            for origin in COHORTS
        ],
    }
    return Report(
        NAME, TITLE, [Column("structure", "Structure"), Column("etape", "Étape"), Column("reperes", "Repérés"), Column("reperes_pct", "Repérés (%)", percent=True), Column("reactives", "Réactivés"), Column("reactives_pct", "Réactivés (%)", percent=True)],
        rows, years, filters.describe(), chart,
        labels={**dict(STEPS)},
        notes=["Dossiers dont la fiche a été reçue dans la période et dont le jeune est venu repéré (inconnu de la "
               "mission locale, trouvé par une action d'aller-vers) ou réactivé (sans contact avec sa mission locale "
               "depuis au moins six mois). Mineurs : moins de 18 ans à la date de la fiche. Chaque étape compte, "
               "comme le rapport « De la fiche au départ », les dossiers dont l'historique l'atteint ; pourcentages : "
               "part des fiches de la cohorte."],
    )
