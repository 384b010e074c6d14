"""The funder reports: each one a function ``(filters) -> Report`` built from a few aggregate queries.

The number of queries of a report does not depend on the number of dossiers: every count is made by
the database (COUNT … GROUP BY), Python only lays out the (bounded) grouped results. Reports never
write. The layouts are the contract of ``contracts/reports.md``; how each figure is counted is
documented in ``docs/reporting.md``.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from dossiers.enums import EmploymentStatus, old_level
from dossiers.models import DossierEvent
from dossiers.workflow import State
from followup.enums import Situation, is_positive
from followup.models import FollowUpCall

from .filters import period_label

# Row kinds: "data" and "total" rows are in every format; a "heading" row opens a block (CSV: the
# block name alone in the first column); a "subtotal" row is shown on screen, in XLSX and PDF only.
DATA, TOTAL, HEADING, SUBTOTAL = "data", "total", "heading", "subtotal"


@dataclass
class Row:
    cells: list
    kind: str = DATA


@dataclass
class Report:
    name: str
    title: str
    columns: list
    rows: list
    years: list
    filters: list = field(default_factory=list)
    chart: dict | None = None
    notes: list = field(default_factory=list)
    # On screen and in the PDF, row labels are shown in words (the CSV and XLSX keep the contract's codes).
    labels: dict = field(default_factory=dict)

    @property
    def period(self):
        return period_label(self.years)


def pct(count, total):
    """A percentage with one decimal (half up), 0.0 when the total is zero."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- shared expressions ----------------------------------------------------------------------------

def as_int(expression):
    """``expression`` as an integer in SQL: PostgreSQL's EXTRACT gives a numeric, and computing or grouping
    on numerics over 250,000 rows cost the FEJ and profile reports about a fifth of their time."""
    return Cast(expression, IntegerField())


def age_expression(birth_path, day_path):
    """Age in whole years at ``day_path`` of someone born at ``birth_path``, computed by the database."""
    birthday_not_reached = Q(**{"_age_dm__lt": F("_age_bm")}) | Q(_age_dm=F("_age_bm"), _age_dd__lt=F("_age_bd"))
    return {
        "_age_dm": as_int(ExtractMonth(day_path)),
        "_age_bm": as_int(ExtractMonth(birth_path)),
        "_age_dd": as_int(ExtractDay(day_path)),
        "_age_bd": as_int(ExtractDay(birth_path)),
        "_age_ny": as_int(ExtractYear(day_path)),
        "_age_by": as_int(ExtractYear(birth_path)),
    }, birthday_not_reached


def annotate_age(queryset, birth_path, day_path, name="age"):
    parts, not_reached = age_expression(birth_path, day_path)
    return queryset.annotate(**parts).annotate(
        **{name: F("_age_ny") - F("_age_by") - Case(When(not_reached, then=Value(1)), default=Value(0),
                                                      output_field=IntegerField())}
    )


def first_per_youth(queryset, youth_path, date_path):
    """Keep, for each young person, only their first row of ``queryset`` (by date then id): a young
    person counts once, at their first fiche (or departure) of the period."""
    earlier = queryset.filter(**{youth_path: OuterRef(youth_path)}).filter(
        Q(**{f"{date_path}__lt": OuterRef(date_path)}) | Q(**{date_path: OuterRef(date_path), "pk__lt": OuterRef("pk")})
    )
    return queryset.exclude(Exists(earlier))


def in_years(queryset, date_path, years):
    return queryset.filter(**{f"{date_path}__year__gte": years[0], f"{date_path}__year__lte": years[-1]})


def run_over(queryset, template, name, **tables):
    """Rows of the SQL ``template`` where ``{name}`` is the SQL of ``queryset`` — built by the ORM, with
    every filter of the report and its parameters — and each other ``{key}`` the table of a model of
    ``tables``. For the few groupings the ORM cannot write (a join on another column than a relation,
    two nested GROUP BY): the template stays standard SQL (PostgreSQL and SQLite)."""
    sql, params = queryset.order_by().query.sql_with_params()
    names = {key: connections[queryset.db].ops.quote_name(model._meta.db_table) for key, model in tables.items()}
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(template.format(**{name: sql}, **names), params)
        return cursor.fetchall()


# --- departures ------------------------------------------------------------------------------------

def departures(filters):
    """Departures (stays that started) per scheme and year of the departure date."""
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
        "departures", "Départs par dispositif et par année", ["Dispositif", *[str(y) for y in years], "Total"],
        rows, years, filters.describe(), chart,
        notes=["Départs : séjours commencés (date de départ renseignée, séjours interrompus compris), "
               "comptés l'année de la date de départ."],
    )


# --- funnel ----------------------------------------------------------------------------------------

def _departed(prefix="stay__"):
    """The dossier's stay started (a departure date, not in the future) — as in the departures report."""
    return Q(**{f"{prefix}departure_date__isnull": False, f"{prefix}departure_date__lte": timezone.localdate()})


# The steps of the funnel read from the timeline: step → the states whose event marks it reached.
REACHED_STEPS = {
    "info": [State.INFO_DONE],
    "diagnosed": [State.DIAGNOSED, State.ORIENTED],
    "commission": [State.ACCEPTED, State.REFUSED, State.POSTPONED],
    "accepted": [State.ACCEPTED],
}


def _reached_counts(cohort):
    """{step: number of dossiers of ``cohort`` whose timeline reaches it}, in one pass over the events
    (grouped per dossier, then summed) rather than an EXISTS per dossier and step: four times faster on
    250,000 dossiers (BENCHMARKS.md)."""
    states = sorted({state for group in REACHED_STEPS.values() for state in group})
    per_dossier = (
        DossierEvent.objects.filter(dossier__in=cohort.values("pk"), to_state__in=states)
        .values("dossier")
        .annotate(**{
            f"r_{step}": Max(Case(When(to_state__in=group, then=Value(1)), default=Value(0),
                                  output_field=IntegerField()))
            for step, group in REACHED_STEPS.items()
        })
        .order_by()
    )
    totals = per_dossier.aggregate(**{step: Sum(f"r_{step}") for step in REACHED_STEPS})
    return {step: totals[step] or 0 for step in REACHED_STEPS}


def _follow_up_complete_count(cohort):
    """Dossiers of ``cohort`` whose month-6 contact was made and recorded a known situation (one call
    per dossier and month)."""
    return (
        FollowUpCall.objects.filter(dossier__in=cohort.values("pk"), month=6, done_at__isnull=False)
        .exclude(situation__in=["", Situation.UNKNOWN])
        .count()
    )


FUNNEL_STEPS = [
    ("fiches", "fiches reçues"),
    ("youths", "jeunes distincts"),
    ("info", "présents en information collective"),
    ("diagnosed", "diagnostics réalisés"),
    ("commission", "dossiers présentés en commission"),
    ("accepted", "dossiers acceptés"),
    ("departed", "départs"),
    ("returned", "retours"),
    ("followed", "suivis à six mois complets"),
]


def funnel(filters):
    """From fiche to departure, for the dossiers whose fiche was received in the period."""
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    cohort = in_years(dossiers, "received_on", years)
    counts = cohort.aggregate(
        fiches=Count("pk"),
        youths=Count("youth", distinct=True),
        departed=Count("pk", filter=_departed()),
        returned=Count("pk", filter=_departed() & Q(stay__return_date__isnull=False)),
    )
    counts.update(_reached_counts(cohort))
    counts["followed"] = _follow_up_complete_count(cohort)
    first = counts["fiches"]
    rows = [Row([label, counts[key], pct(counts[key], first)]) for key, label in FUNNEL_STEPS]
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [label for _key, label in FUNNEL_STEPS],
        "datasets": [{"label": "Nombre", "data": [counts[key] for key, _label in FUNNEL_STEPS]}],
    }
    return Report(
        "funnel", "De la fiche au départ", ["Etape", "Nombre", "Taux"], rows, years, filters.describe(), chart,
        notes=["Dossiers dont la fiche a été reçue dans la période ; chaque étape compte les dossiers dont "
               "l'historique atteint l'étape, quelle que soit sa date. Taux : pourcentage des fiches reçues."],
    )


# --- profile ---------------------------------------------------------------------------------------

AGE_BANDS = ["moins de 18", "18-19", "20-24", "25-26", "plus de 26"]
LEVELS = ["VI", "Vbis", "V", "IV", "III", "I-II", "inconnu"]
YES_NO = ["oui", "non", "inconnu"]
PROFILE_SECTIONS = [
    ("sexe", ["F", "M"]),
    ("age", AGE_BANDS),
    ("niveau", LEVELS),
    ("qpv", YES_NO),
    ("zrr", YES_NO),
]


def age_band(age):
    if age < 18:
        return "moins de 18"
    if age <= 19:
        return "18-19"
    if age <= 24:
        return "20-24"
    if age <= 26:
        return "25-26"
    return "plus de 26"


def profile_level(level):
    old = old_level(level)
    if old in ("I", "II"):
        return "I-II"
    return old if old in LEVELS else "inconnu"


def yes_no(value):
    return {True: "oui", False: "non"}.get(value, "inconnu")


def _profile_groups(queryset, youth_prefix, day_path):
    """One grouped query: (sex, age, level, qpv, zrr) → number of rows (one row per young person)."""
    queryset = annotate_age(queryset, f"{youth_prefix}birth_date", day_path)
    return list(
        queryset.values(
            "age",
            sex=F(f"{youth_prefix}sex"),
            level=F(f"{youth_prefix}qualification_level"),
            qpv=F(f"{youth_prefix}qpv"),
            zrr=F(f"{youth_prefix}zrr"),
        ).annotate(n=Count("pk")).order_by()
    )


def _profile_count(groups):
    counts = {section: dict.fromkeys(categories, 0) for section, categories in PROFILE_SECTIONS}
    for g in groups:
        n = g["n"]
        if g["sex"] in counts["sexe"]:
            counts["sexe"][g["sex"]] += n
        counts["age"][age_band(g["age"])] += n
        counts["niveau"][profile_level(g["level"])] += n
        counts["qpv"][yes_no(g["qpv"])] += n
        counts["zrr"][yes_no(g["zrr"])] += n
    return counts


def profile(filters):
    """Who the public is: distinct young people received (fiche in the period, at their first fiche)
    and departed (departure in the period, at their first departure)."""
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    received = first_per_youth(in_years(dossiers, "received_on", years), "youth", "received_on")
    departed = first_per_youth(in_years(filters.stays(), "departure_date", years), "dossier__youth", "departure_date")
    rec = _profile_count(_profile_groups(received, "youth__", "received_on"))
    dep = _profile_count(_profile_groups(departed, "dossier__youth__", "departure_date"))
    rows = []
    for section, categories in PROFILE_SECTIONS:
        rec_total = sum(rec[section].values())
        dep_total = sum(dep[section].values())
        for category in categories:
            r, d = rec[section][category], dep[section][category]
            rows.append(Row([section, category, r, pct(r, rec_total), d, pct(d, dep_total)]))
        rows.append(Row([section, "total", rec_total, pct(rec_total, rec_total), dep_total, pct(dep_total, dep_total)],
                        SUBTOTAL))
    charts = []
    for section, categories in PROFILE_SECTIONS:
        charts.append({
            "title": {"sexe": "Sexe", "age": "Âge", "niveau": "Niveau", "qpv": "QPV", "zrr": "ZRR"}[section],
            "labels": categories,
            "datasets": [
                {"label": "Reçus", "data": [rec[section][c] for c in categories]},
                {"label": "Partis", "data": [dep[section][c] for c in categories]},
            ],
        })
    return Report(
        "profile", "Profil du public", ["section", "categorie", "recus", "recus_pct", "partis", "partis_pct"],
        rows, years, filters.describe(), {"type": "bar", "multiple": charts},
        labels={"sexe": "Sexe", "age": "Âge", "niveau": "Niveau", "qpv": "QPV", "zrr": "ZRR", "F": "Femmes",
                "M": "Hommes", "total": "Total"},
        notes=["Reçus : jeunes distincts dont une fiche a été reçue dans la période (âge à la première fiche). "
               "Partis : jeunes distincts partis dans la période (âge au premier départ). "
               "Pourcentages : part du total de la colonne dans la section."],
    )


# --- outcomes --------------------------------------------------------------------------------------

OUTCOME_ROWS = [
    "emploi_cdi", "emploi_cdd_6_mois_plus", "emploi_cdd_moins_6_mois", "formation_qualifiante",
    "etudes", "recherche_emploi", "autre", "inconnu",
]
# Situations recorded in the application that the funders' list does not hold.
OUTCOME_FOLDS = {Situation.TEMPORARY: "emploi_cdd_moins_6_mois", Situation.CIVIC_SERVICE: "autre", "": "inconnu",
                 None: "inconnu"}
ALL_SCHEMES = "Tous dispositifs"


OUTCOMES_SQL = """
    SELECT stay.scheme_name, month6.situation, COUNT(*)
    FROM ({stays}) stay
    LEFT JOIN {calls} month6 ON month6.dossier_id = stay.followed AND month6.month = 6
    GROUP BY stay.scheme_name, month6.situation
"""


def outcome_of(situation):
    return OUTCOME_FOLDS.get(situation, situation if situation in OUTCOME_ROWS else "inconnu")


def outcomes(filters):
    """Situation six months after return, for the stays that ended (return date) in the period."""
    stays = filters.stays().filter(return_date__isnull=False)
    years = filters.years(stays, "return_date")
    # The month-6 call joined on the stay's dossier (the hand-written SQL's plan: one hash join). The ORM
    # can only reach it through the dossier (a join over every dossier) or a subquery per stay: both 3×
    # slower (BENCHMARKS.md).
    grouped = run_over(
        in_years(stays, "return_date", years).values(scheme_name=F("scheme__name"), followed=F("dossier_id")),
        OUTCOMES_SQL, "stays", calls=FollowUpCall,
    )
    blocks = {}
    for scheme_name, situation, n in grouped:
        block = blocks.setdefault(scheme_name, dict.fromkeys(OUTCOME_ROWS, 0))
        block[outcome_of(situation)] += n
    combined = dict.fromkeys(OUTCOME_ROWS, 0)
    for block in blocks.values():
        for key, n in block.items():
            combined[key] += n

    def block_rows(counts):
        total = sum(counts.values())
        positive = sum(n for key, n in counts.items() if is_positive(key))
        rows = [Row([key, counts[key], pct(counts[key], total)]) for key in OUTCOME_ROWS]
        rows.append(Row(["sortie positive", positive, pct(positive, total)], TOTAL))
        rows.append(Row(["total", total, pct(total, total)], SUBTOTAL))
        return rows

    rows = []
    if filters.scheme is not None:
        rows = block_rows(combined)
    else:
        for name in sorted(blocks, key=str.casefold):
            rows.append(Row([name, "", ""], HEADING))
            rows.extend(block_rows(blocks[name]))
        rows.append(Row([ALL_SCHEMES, "", ""], HEADING))
        rows.extend(block_rows(combined))
    chart = {
        "type": "doughnut",
        "labels": [dict(Situation.choices).get(k, k) for k in OUTCOME_ROWS],
        "datasets": [{"label": "Séjours", "data": [combined[k] for k in OUTCOME_ROWS]}],
    }
    labels = {key: dict(Situation.choices)[key] for key in OUTCOME_ROWS}
    labels["sortie positive"] = "Sortie positive (CDI, CDD de six mois ou plus, formation qualifiante)"
    labels["total"] = "Total des séjours terminés"
    return Report(
        "outcomes", "Situation six mois après le retour", ["Situation", "Nombre", "Pourcentage"], rows, years,
        filters.describe(), chart, labels=labels,
        notes=["Séjours terminés dans la période (date de retour, séjours interrompus compris) ; situation "
               "relevée au contact du sixième mois (inconnu quand il n'a pas eu lieu). Sortie positive : CDI, "
               "CDD de six mois ou plus, formation qualifiante."],
    )


# --- FEJ -------------------------------------------------------------------------------------------

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
    dropped = Q(state=State.DROPPED) | (Q(stay__interrupted=True) & _departed())
    flat = annotate_age(period, "youth__birth_date", "received_on", name="fiche_age").values(
        person=F("youth_id"), year=as_int(ExtractYear("received_on")), age=F("fiche_age"), sex=F("youth__sex"),
        level=F("youth__qualification_level"), status=F("youth__employment_status"),
        dep=Case(When(_departed(), then=Value(1)), **flag), drp=Case(When(dropped, then=Value(1)), **flag),
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


def fej(filters):
    """The Fonds d'expérimentation pour la jeunesse beneficiaries table, by year of entry (fiche)."""
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    year_groups, total_groups = _fej_groups(in_years(dossiers, "received_on", years))
    columns = [_fej_column([g for g in year_groups if g["year"] == year]) for year in years]
    total_column = _fej_column(total_groups)
    rows = [Row([label, *[c[key] for c in columns], total_column[key]]) for key, label in FEJ_ROWS]
    return Report(
        "fej", "Tableau des bénéficiaires (FEJ)", ["Bénéficiaires", *[str(y) for y in years], "Total"], rows, years,
        filters.describe(), None,
        notes=["Par année d'entrée (année de la fiche). Un jeune entré plusieurs années compte dans chacune, "
               "une seule fois dans la colonne Total. Âge à la première fiche ; niveau, situation et sexe "
               "actuels du jeune. Les niveaux inconnus ne figurent dans aucune ligne de niveau."],
    )


REPORTS = {
    "departures": departures,
    "funnel": funnel,
    "profile": profile,
    "outcomes": outcomes,
    "fej": fej,
}

REPORT_TITLES = {
    "departures": "Départs par dispositif et par année",
    "funnel": "De la fiche au départ",
    "profile": "Profil du public",
    "outcomes": "Situation six mois après le retour",
    "fej": "Tableau des bénéficiaires (FEJ)",
}


def build(name, filters):
    return REPORTS[name](filters)
