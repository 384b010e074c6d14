"""fej — the Fonds d'expérimentation pour la jeunesse beneficiaries table, by year of entry (fiche)."""
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from dossiers.enums import EmploymentStatus, old_level
from dossiers.workflow import State

from .common import Column, Report, Row, annotate_age, as_int, departed, in_years, run_over, year_columns

NAME = "fej"
TITLE = "Tableau des bénéficiaires (FEJ)"
SUMMARY = "Tableau annexe des bénéficiaires du Fonds d'expérimentation pour la jeunesse."

# The columns (CSV key, French title): the row label, one per year of entry, the whole period.
FIRST_COLUMN = Column("Bénéficiaires", "Bénéficiaires")
TOTAL_COLUMN = Column("Total", "Total")

FEJ_SITUATIONS = [
    ("Demandeurs d'emploi", {EmploymentStatus.JOB_SEEKER}),
    ("Actifs occupés", {EmploymentStatus.EMPLOYED}),
    ("Étudiants", {EmploymentStatus.STUDENT}),
    ("Autres", None),  # other and unknown
]
FEJ_LEVELS = [
    ("Infra V", {"VI", "Vbis"}),
    ("Niveau V", {"V"}),
    ("Niveau IV", {"IV"}),
    ("Niveau III", {"III"}),
    ("Niveau II", {"II"}),
    ("Niveau I", {"I"}),
]


def fej_age_band(age):
    if age < 18:
        return "16-18"
    if age <= 25:
        return "18-25"
    return "Autres"


def _fej_column(groups):
    """One column of the FEJ table from its groups (each: age, sex, level, status, n, departed, dropped)."""
    column = {"Jeunes": sum(g["departed"] for g in groups),
              "Nombre total de bénéficiaires": sum(g["n"] for g in groups),
              "Nombre d'abandons ou exclusions": sum(g["dropped"] for g in groups)}
    for key in ("16-18", "18-25", "Autres (âge)", "Demandeurs d'emploi", "Actifs occupés", "Étudiants",
                "Autres (situation)", "Filles", "Garçons", *[label for label, _ in FEJ_LEVELS]):
        column[key] = 0
    for g in groups:
        n = g["n"]
        band = fej_age_band(g["age"])
        column["Autres (âge)" if band == "Autres" else band] += n
        for label, statuses in FEJ_SITUATIONS:
            if statuses is None:
                column["Autres (situation)"] += n
                break
            if g["status"] in statuses:
                column[label] += n
                break
        level = old_level(g["level"])
        for label, levels in FEJ_LEVELS:
            if level in levels:
                column[label] += n
        if g["sex"] == "F":
            column["Filles"] += n
        elif g["sex"] == "M":
            column["Garçons"] += n
    return column


FEJ_ROWS = [
    ("Jeunes", "Jeunes"),
    ("Nombre total de bénéficiaires", "Nombre total de bénéficiaires"),
    ("Nombre d'abandons ou exclusions", "Nombre d'abandons ou exclusions"),
    ("16-18", "16-18"), ("18-25", "18-25"), ("Autres (âge)", "Autres"),
    ("Demandeurs d'emploi", "Demandeurs d'emploi"), ("Actifs occupés", "Actifs occupés"),
    ("Étudiants", "Étudiants"), ("Autres (situation)", "Autres"),
    *[(label, label) for label, _ in FEJ_LEVELS],
    ("Filles", "Filles"), ("Garçons", "Garçons"),
]


# One pass over the dossiers of the period (the FEJ table, below): the rows of ``{flat}`` (one per
# fiche: young person, year, age at the fiche, departed, dropped, the young person's sex, level and
# situation) are grouped per young person and year (age = the smallest, i.e. at the first fiche of the
# year), then a window over each young person's years marks their first year in the period (it holds
# their first fiche of the period) and whether they departed or dropped out in any year; the outer
# GROUP BY counts. Standard SQL (PostgreSQL, SQLite ≥ 3.28). The dossiers, their filters and the
# expressions are built by the ORM; only these two grouping levels, which the ORM cannot nest, are
# written here (BENCHMARKS.md: 1.85 s → ~0.7 s on 250,000 dossiers).
FEJ_SQL = """
    SELECT year, age, sex, level, status, COUNT(*), SUM(dep), SUM(drp),
           SUM(first_year), SUM(first_year * any_dep), SUM(first_year * any_drp)
    FROM (
        SELECT per_year.*,
               CASE WHEN ROW_NUMBER() OVER youth_years = 1 THEN 1 ELSE 0 END AS first_year,
               MAX(dep) OVER youth_years AS any_dep, MAX(drp) OVER youth_years AS any_drp
        FROM (
            SELECT person, year, sex, level, status, MIN(age) AS age, MAX(dep) AS dep, MAX(drp) AS drp
            FROM ({flat}) fiche
            GROUP BY person, year, sex, level, status
        ) per_year
        WINDOW youth_years AS (PARTITION BY person ORDER BY year
                               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ) counted
    GROUP BY year, age, sex, level, status
"""


def _fej_groups(period):
    """([per-year group], [whole-period group]): each group a dict of age, sex, level, status, n, and the
    number of those who departed / dropped out — one query (FEJ_SQL)."""
    flag = dict(default=Value(0), output_field=IntegerField())
    dropped = Q(state=State.DROPPED) | (Q(stay__interrupted=True) & departed())
    flat = annotate_age(period, "youth__birth_date", "received_on", name="fiche_age").values(
        person=F("youth_id"), year=as_int(ExtractYear("received_on")), age=F("fiche_age"), sex=F("youth__sex"),
        level=F("youth__qualification_level"), status=F("youth__employment_status"),
        dep=Case(When(departed(), then=Value(1)), **flag), drp=Case(When(dropped, then=Value(1)), **flag),
    )
    results = run_over(flat, FEJ_SQL, "flat")
    year_groups, total = [], {}
    for year, age, sex, level, status, n, dep, drp, first, first_dep, first_drp in results:
        keys = dict(age=int(age), sex=sex, level=level, status=status)
        year_groups.append({**keys, "year": int(year), "n": n, "departed": int(dep), "dropped": int(drp)})
        if first:
            group = total.setdefault((keys["age"], sex, level, status), {**keys, "n": 0, "departed": 0, "dropped": 0})
            group["n"] += int(first)
            group["departed"] += int(first_dep)
            group["dropped"] += int(first_drp)
    return year_groups, list(total.values())


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    year_groups, total_groups = _fej_groups(in_years(dossiers, "received_on", years))
    columns = [_fej_column([g for g in year_groups if g["year"] == year]) for year in years]
    total_column = _fej_column(total_groups)
    rows = [Row([label, *[c[key] for c in columns], total_column[key]]) for key, label in FEJ_ROWS]
    return Report(
        NAME, TITLE, [FIRST_COLUMN, *year_columns(years), TOTAL_COLUMN], rows, years,
        filters.describe(), None,
        notes=["Par année d'entrée (année de la fiche). Un jeune entré plusieurs années compte dans chacune, "
               "une seule fois dans la colonne Total. Âge à la première fiche ; niveau, situation et sexe "
               "actuels du jeune. Les niveaux inconnus ne figurent dans aucune ligne de niveau."],
    )
